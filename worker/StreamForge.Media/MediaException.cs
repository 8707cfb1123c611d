namespace StreamForge.Media;

/// <summary>
/// A processing failure with a readable message. <see cref="IsPermanent"/> is true when retrying cannot help
/// (not a media file, no video stream, corrupt input); false for transient faults (process killed, I/O, timeout).
/// </summary>
public sealed class MediaException : Exception
{
    public MediaException(string message, bool isPermanent, string? toolOutput = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsPermanent = isPermanent;
        ToolOutput = toolOutput;
    }

    public bool IsPermanent { get; }

    /// <summary>The tail of the tool's stderr, when a tool failed (for the job dashboard).</summary>
    public string? ToolOutput { get; }

    internal static MediaException Permanent(string message, string? toolOutput = null) => new(message, isPermanent: true, toolOutput);

    internal static MediaException Transient(string message, string? toolOutput = null, Exception? inner = null) =>
        new(message, isPermanent: false, toolOutput, inner);
}
