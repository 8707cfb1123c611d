using StreamForge.Core.Data;

namespace StreamForge.Core.Quota;

public static class QuotaPolicy
{
    /// <summary>The quota that applies to a user, or null when unlimited.</summary>
    public static long? EffectiveQuota(User user, QuotaOptions options) =>
        user.QuotaBytes ?? (user.Role == Roles.Admin ? null : options.UserQuotaBytes);
}
