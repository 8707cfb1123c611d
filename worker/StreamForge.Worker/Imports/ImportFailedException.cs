namespace StreamForge.Worker.Imports;

/// <summary>An import attempt that ended with a sentence for the owner; <see cref="Retryable"/> when another attempt may succeed.</summary>
public sealed class ImportFailedException(string reason, bool retryable = false, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
    public bool Retryable { get; } = retryable;
}
