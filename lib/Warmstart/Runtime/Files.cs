using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warmstart.Runtime;

/// <summary>Atomic file writes (write a sibling temp file, then rename) and the JSON conventions of every run file.</summary>
public static class Files
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable files: "+", "≥", quotes
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowOutOfOrderMetadataProperties = true, // a hand-edited spec may put "family"/"kind" anywhere
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes through <paramref name="write"/> into "path.tmp-*", flushes, then renames over <paramref name="path"/>.</summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteTextAtomic(string path, string text) =>
        WriteAtomic(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void WriteJsonAtomic<T>(string path, T value) => WriteTextAtomic(path, JsonSerializer.Serialize(value, Json) + "\n");

    public static T ReadJson<T>(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"'{path}' holds no JSON value");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid {typeof(T).Name} JSON (truncated or edited?): {e.Message}", e);
        }
    }
}
