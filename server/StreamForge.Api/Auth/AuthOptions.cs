namespace StreamForge.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string Issuer = "streamforge";
    public const string Audience = "streamforge";
    public const string AccessCookie = "sf_access";
    public const string RefreshCookie = "sf_refresh";
    public const string RefreshCookiePath = "/api/v1/auth";
    public const string CsrfHeader = "X-CSRF";

    /// <summary>HMAC key for access tokens (≥ 32 bytes). Generated per process in Development when unset.</summary>
    public string JwtSigningKey { get; set; } = "";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    /// <summary>Per client address: brute force and account spam are limited where they start.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
    public int RegistrationsPerMinute { get; set; } = 5;
    /// <summary>A browser refreshes every 15 minutes per tab; dozens a minute from one address is not a browser.</summary>
    public int RefreshesPerMinute { get; set; } = 30;
    public int PasswordChangesPerMinute { get; set; } = 5;
    /// <summary>Password reset and confirmation mail requests per client address and minute.</summary>
    public int AccountMailRequestsPerMinute { get; set; } = 5;
    /// <summary>
    /// Mails of one kind (reset, confirmation) one account receives per hour, whoever asks; more are silently not
    /// sent, except when the account holds no usable link of that kind, so strangers cannot block its recovery.
    /// </summary>
    public int AccountMailsPerAddressPerHour { get; set; } = 3;
    /// <summary>
    /// How long one node trusts its last look at a session (live, role, stamp) before asking the database again:
    /// logout, password reset, role changes and deleted accounts reach every request within this much (plus the
    /// query), without a database round trip per request.
    /// </summary>
    public TimeSpan SessionCheckCacheDuration { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Failed sign-ins of one email (from any address) that are free; each further one waits longer.</summary>
    public int LoginFailuresBeforeBackoff { get; set; } = 5;
    /// <summary>The first wait after the free failures; it doubles with every further failure.</summary>
    public TimeSpan LoginBackoffBase { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>The longest wait: however many failures a stranger causes, the owner waits at most this long.</summary>
    public TimeSpan LoginBackoffMax { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Failures are forgotten after this long without a new one (and at once by a success or a completed reset).</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan PasswordResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan EmailConfirmationTokenLifetime { get; set; } = TimeSpan.FromDays(2);
    /// <summary>When set, a new account gets a confirmation mail and cannot upload until it follows the link.</summary>
    public bool RequireEmailConfirmation { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
