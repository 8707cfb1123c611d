namespace StreamForge.Api.DirectUploads;

public sealed class DirectUploadOptions
{
    public const string Section = "DirectUploads";

    /// <summary>Lifetime of a link whose request names none.</summary>
    public TimeSpan DefaultExpiry { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Longest lifetime a link may ask for: a link is a credential, it should not live for ever.</summary>
    public TimeSpan MaxExpiry { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Unused, unexpired links an account may hold at once, so links are not a way to pile up state.</summary>
    public int MaxOpenPerAccount { get; set; } = 20;
    /// <summary>Links an account may make in 24 hours: short-lived links free their open slot fast, rows stay.</summary>
    public int MaxCreatedPerDay { get; set; } = 500;
}
