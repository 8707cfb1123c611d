namespace StreamForge.Api.Email;

public enum EmailMode
{
    /// <summary>Deliver through an SMTP relay (production).</summary>
    Smtp,
    /// <summary>Write each mail into a folder (the local stack and tests); nothing leaves the machine.</summary>
    Outbox,
}

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

public sealed class SmtpSettings
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    /// <summary>Empty = no authentication (a relay that trusts the network).</summary>
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>Upgrade with STARTTLS and refuse to send when the server cannot (port 587). False sends in clear text,
    /// only for a relay on a trusted network; port 465 (implicit TLS) is always encrypted.</summary>
    public bool StartTls { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where links in mails point: the address users reach the SPA at.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Public base URL of the app (https://video.example.com). Required outside Development for mails with links.</summary>
    public string PublicUrl { get; set; } = "";
}
