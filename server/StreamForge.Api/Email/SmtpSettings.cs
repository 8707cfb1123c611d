namespace StreamForge.Api.Email;

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
