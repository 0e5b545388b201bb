using System.Security.Cryptography;
using System.Text;

namespace Syndication.Primitives;

/// <summary>The one way text is hashed for names and fingerprints: SHA-256 of its UTF-8, in lower-case hex.</summary>
public static class Hashes
{
    /// <summary>The first <paramref name="length"/> hex digits (at most 64) of the text's SHA-256.</summary>
    public static string Hex(string text, int length = 64) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
