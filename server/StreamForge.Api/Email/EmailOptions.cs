namespace StreamForge.Api.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailMode Mode { get; set; } = EmailMode.Smtp;
    /// <summary>Sender address, optionally with a display name: "StreamForge &lt;no-reply@example.com&gt;".</summary>
    public string From { get; set; } = "StreamForge <no-reply@streamforge.local>";
    public SmtpSettings Smtp { get; set; } = new();
    /// <summary>Folder the Outbox mode writes to; relative paths are resolved against the working directory.</summary>
    public string OutboxPath { get; set; } = "";

    public string ResolvedOutboxPath => Path.GetFullPath(string.IsNullOrWhiteSpace(OutboxPath)
        ? Path.Combine(Path.GetTempPath(), "streamforge-outbox")
        : OutboxPath);
}
