using System.Net;
using System.Net.Sockets;
using Syndication.Primitives;

namespace Syndication.Feeds;

/// <summary>
/// Keeps feed and article requests off loopback, link-local, private and unique-local addresses, so that a feed URL
/// (or a redirect) cannot reach the host's own services or cloud metadata endpoints. The check runs after DNS resolution,
/// on every new connection, so a redirect or a DNS answer cannot get around it.
/// </summary>
public static class PrivateNetworks
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            // IPv4 carried inside IPv6: NAT64 (64:ff9b::/96, RFC 6052, and the local-use 64:ff9b:1::/48, RFC 8215),
            // 6to4 (2002::/16, RFC 3056) and IPv4-compatible (::/96) addresses reach the IPv4 address they embed.
            if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B)
                return bytes[4] == 0 && bytes[5] == 1 || IsPrivate(new IPAddress(bytes.AsSpan(12, 4))); // the local-use /48 is never public
            if (bytes[0] == 0x20 && bytes[1] == 0x02)
                return IsPrivate(new IPAddress(bytes.AsSpan(2, 4)));
            if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
                return IsPrivate(new IPAddress(bytes.AsSpan(12, 4)));
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC; // fc00::/7
        }
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127
            || b[0] == 169 && b[1] == 254            // link-local, including 169.254.169.254 metadata
            || b[0] == 172 && b[1] is >= 16 and <= 31
            || b[0] == 192 && b[1] == 168
            || b[0] == 100 && b[1] is >= 64 and <= 127 // carrier-grade NAT
            || b[0] >= 224;                          // multicast and reserved
    }

    /// <summary>
    /// An address to hand on (a picture Telegram will fetch) if it is http(s) and its host is not only private or local
    /// addresses, the same guard feeds pass; null otherwise, or when its name does not resolve.
    /// </summary>
    public static async Task<string?> PublicOrNullAsync(string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !HttpAddresses.IsHttp(uri)) return null;
        if (allowPrivate) return uri.AbsoluteUri;
        try
        {
            var addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
            return addresses.Any(a => !IsPrivate(a)) ? uri.AbsoluteUri : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>A SocketsHttpHandler connect callback that refuses private addresses unless they are allowed.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = allowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException(
                    $"refused to connect to {host}: it resolves only to private or local addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); set Syndication__AllowPrivateNetworks=true to allow this");

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
