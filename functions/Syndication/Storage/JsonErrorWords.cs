using System.Text.Json;

namespace Syndication.Storage;

/// <summary>
/// System.Text.Json's parse errors in an editor's words: what is wrong and how to write it, with where it is. The
/// parser's own message names bytes in hex and JSON grammar terms, which people who write configurations do not read.
/// </summary>
public static class JsonErrorWords
{
    public static string Explain(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $"line {line + 1}, column {ex.BytePositionInLine + 1}" : "an unknown place";
        var message = ex.Message;
        var found = Found(message);
        var what = message switch
        {
            _ when message.Contains("does not contain any JSON tokens") => "it is empty",
            _ when found == "'" => "text and field names take double quotes (\"like this\"), not single quotes",
            _ when message.Contains("invalid start of a property name") => $"a field name must be in double quotes, as in \"feeds\"{FoundWords(found)}",
            _ when message.Contains("is invalid after a value") => $"a comma is missing between two entries, or a bracket is closed too early{FoundWords(found)}",
            _ when message.Contains("is invalid after a property name") => $"a colon must follow a field name, as in \"id\": \"dawn\"{FoundWords(found)}",
            _ when message.Contains("is an invalid start of a value") => $"a value is missing or unquoted: write text in double quotes, or a number, true, false, [ ] or {{ }}{FoundWords(found)}",
            _ when message.Contains("is invalid within a JSON string") => "text in quotes contains a line break or tab; write it as \\n or \\t",
            _ when message.Contains("Expected depth to be zero") || message.Contains("open JSON object or array") => "the file ends before every { and [ is closed",
            _ when message.Contains("expected end of string") || message.Contains("Expected end of string") => "a text value is not closed with a double quote",
            _ when message.Contains("is invalid after a single JSON value") => "there is more after the closing } or ]; a document holds one value",
            _ => message.Split(" LineNumber:")[0].Split(". ")[0],
        };
        return $"not valid JSON at {where}: {what}";
    }

    /// <summary>The character the parser choked on, from messages such as <c>'0x7D' is invalid …</c> or <c>'}' is invalid …</c>.</summary>
    static string? Found(string message)
    {
        if (message.StartsWith("'''", StringComparison.Ordinal)) return "'";
        if (message.Length < 3 || message[0] != '\'') return null;
        var end = message.IndexOf('\'', 1);
        if (end < 0) return null;
        var token = message[1..end];
        return token.StartsWith("0x", StringComparison.Ordinal) && int.TryParse(token[2..], System.Globalization.NumberStyles.HexNumber, null, out var code)
            ? ((char)code).ToString()
            : token;
    }

    static string FoundWords(string? found) => found switch
    {
        null => "",
        "\n" or "\r" => " (found the end of a line)",
        _ => $" (found {found})",
    };
}
