using System.Text;
using System.Text.Json;

namespace MkVerified.Hardware;

/// <summary>A JSON input that is not acceptable (a directory, too large, bad JSON, a duplicate key, nested too deep); the message says which, on one line.</summary>
public sealed class JsonInputException(string problem) : Exception(problem);

/// <summary>
/// Reads the project's JSON inputs (machine models, bug traces) strictly and within bounds: a file must be a regular
/// file of at most <see cref="MaxBytes"/> (read without ever holding more), the JSON must be valid, nest at most
/// <see cref="MaxDepth"/> levels, and no object may name a key twice (a repeated key would otherwise silently win).
/// </summary>
public static class StrictJson
{
    public const int MaxBytes = 16 * 1024 * 1024;
    public const int MaxDepth = 64;

    /// <summary>Reads a whole input file as UTF-8 text; throws <see cref="JsonInputException"/> when it cannot be an input.</summary>
    public static string ReadFile(string path)
    {
        if (Directory.Exists(path)) throw new JsonInputException("is a directory, not a file");
        if (!File.Exists(path)) throw new JsonInputException("no such file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > MaxBytes) throw new JsonInputException($"is larger than {MaxBytes / (1024 * 1024)} MiB, the limit for an input file");
            var buffer = new byte[Math.Min(MaxBytes + 1, stream.CanSeek && stream.Length > 0 ? stream.Length + 1 : 64 * 1024)];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > MaxBytes) throw new JsonInputException($"is larger than {MaxBytes / (1024 * 1024)} MiB, the limit for an input file");
                    Array.Resize(ref buffer, Math.Min(MaxBytes + 1, buffer.Length * 2));
                }
                var n = stream.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
            if (total > MaxBytes) throw new JsonInputException($"is larger than {MaxBytes / (1024 * 1024)} MiB, the limit for an input file");
            return new UTF8Encoding(false, true).GetString(buffer, 0, total).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new JsonInputException("is not UTF-8 text");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JsonInputException($"cannot be read ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonInputException"/> naming the line of the problem.</summary>
    public static JsonDocument Parse(string json)
    {
        if (Encoding.UTF8.GetByteCount(json) > MaxBytes) throw new JsonInputException($"is larger than {MaxBytes / (1024 * 1024)} MiB, the limit for an input file");
        var bytes = Encoding.UTF8.GetBytes(json);
        Check(bytes);
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth + 1 });
        }
        catch (JsonException e)
        {
            throw new JsonInputException($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
    }

    /// <summary>One pass over the tokens: nesting depth and repeated keys, each reported with its line.</summary>
    private static void Check(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth + 2 });
        var keys = new Stack<HashSet<string>?>();
        var line = 1;
        var scanned = 0;
        try
        {
            while (reader.Read())
            {
                var at = (int)reader.TokenStartIndex;
                for (; scanned < at; scanned++) if (bytes[scanned] == (byte)'\n') line++;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= MaxDepth)
                            throw new JsonInputException($"JSON nests deeper than {MaxDepth} levels (line {line}), the depth limit for an input file");
                        keys.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (keys.Peek() is { } seen && !seen.Add(name))
                            throw new JsonInputException($"key '{name}' appears twice in one object (line {line}); JSON keys must be unique");
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new JsonInputException($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
    }
}
