namespace StreamForge.Core.Configuration;

/// <summary>
/// A host outside Development was configured with a secret anyone can know (a placeholder, a development default,
/// a key too weak to sign with). The message lists every such variable, so one restart fixes them all.
/// </summary>
public sealed class UnsafeSecretsException(IReadOnlyList<string> problems)
    : InvalidOperationException("Refusing to start with unsafe secrets:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
