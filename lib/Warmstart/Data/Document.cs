namespace Warmstart.Data;

/// <summary>One document of a corpus; <see cref="Group"/> is the stratum the split balances over (Brown's genre).</summary>
public sealed record Document(string Id, string Group, string Text);
