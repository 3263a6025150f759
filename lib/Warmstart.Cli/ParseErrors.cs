using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Warmstart.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors (which come with the whole help text and .NET type names) into one line:
/// the option, the value given and the form allowed, e.g. "--lr: 'abc' is not a number".
/// </summary>
static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var error = parse.Errors[0];
        var command = parse.CommandResult.Command;
        string verb = VerbPath(parse.CommandResult);
        if (error.Message.StartsWith("--", StringComparison.Ordinal)) return error.Message; // ours (a custom parser's)
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is not null)
        {
            string name = option.Option.Name, form = Form(option.Option);
            var values = option.Tokens.Select(t => t.Value).ToList();
            if (option.IdentifierToken is null) return $"{verb}: {name} is required ({option.Option.Description})";
            if (values.Count == 0)
                return $"{name} needs {(option.Option.ValueType.IsArray ? $"one or more values, each {form}" : form)}";
            if (values.Count > 1 && option.Option.Arity.MaximumNumberOfValues == 1)
                return $"{name} takes one value ({form}), got {string.Join(" ", values.Select(v => $"'{v}'"))}";
            var bad = values.FirstOrDefault(v => !Parses(v, option.Option.ValueType)) ?? values[0];
            return $"{name}: '{bad}' is not {form}";
        }
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            return command is RootCommand || command.Subcommands.Count > 0 && command.Options.Count == 0
                ? $"unknown verb '{token}': allowed are {string.Join(", ", command.Subcommands.Select(c => c.Name))}"
                : $"{verb}: unknown option or argument '{token}' (see {verb} --help)";
        }
        var missing = command.Options.FirstOrDefault(o => o.Required && parse.GetResult(o) is null);
        if (missing is not null) return $"{verb}: {missing.Name} is required ({missing.Description})";
        if (command.Subcommands.Count > 0)
            return $"{(command is RootCommand ? "no verb given" : $"{verb}: no subcommand given")}: allowed are {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        return $"{verb}: {error.Message}";
    }

    static string VerbPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Command is not RootCommand; r = r.Parent) names.Insert(0, c.Command.Name);
        return names.Count == 0 ? "warmstart" : string.Join(" ", names);
    }

    static Type Element(Type t)
    {
        if (t.IsArray) t = t.GetElementType()!;
        return Nullable.GetUnderlyingType(t) ?? t;
    }

    static string Form(Option option)
    {
        var t = Element(option.ValueType);
        return t == typeof(double) || t == typeof(float) ? "a number (e.g. 0.01 or 1e-3)"
            : t == typeof(int) ? $"a whole number from {int.MinValue} to {int.MaxValue}"
            : t == typeof(long) ? "a whole number"
            : t == typeof(bool) ? "true or false"
            : $"a value ({option.Description})";
    }

    static bool Parses(string value, Type type)
    {
        var t = Element(type);
        var c = CultureInfo.InvariantCulture;
        return t == typeof(double) ? double.TryParse(value, NumberStyles.Float, c, out _)
            : t == typeof(int) ? int.TryParse(value, NumberStyles.Integer, c, out _)
            : t == typeof(long) ? long.TryParse(value, NumberStyles.Integer, c, out _)
            : t == typeof(bool) ? bool.TryParse(value, out _)
            : true;
    }

    /// <summary>A count such as a token budget: digits, or a whole number in exponent form (2e7, 1.5e6).</summary>
    public static long? WholeCount(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[0].Value;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
            return (long)d;
        var option = (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
        result.AddError($"{option}: '{text}' is not a whole number (e.g. 20000 or 2e7)");
        return null;
    }
}
