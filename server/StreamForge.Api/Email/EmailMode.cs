namespace StreamForge.Api.Email;

public enum EmailMode
{
    /// <summary>Deliver through an SMTP relay (production).</summary>
    Smtp,
    /// <summary>Write each mail into a folder (the local stack and tests); nothing leaves the machine.</summary>
    Outbox,
}
