namespace StreamForge.Core.Quota;

public sealed class QuotaOptions
{
    public const string Section = "Quota";

    /// <summary>Default quota of the "user" role; admins are unlimited unless given a quota.</summary>
    public long UserQuotaBytes { get; set; } = 500_000_000;
}
