using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace StreamForge.Core.Configuration;

/// <summary>
/// The one place that decides whether the secrets a host was given are fit outside Development; the API and the
/// worker both run it before they touch the database. Refused are values that ship with the project or its tools
/// (placeholders of the example files, the local stack's and compose's defaults, the development admin password)
/// and signing keys too weak to resist guessing. Messages name the variable and never echo its value.
/// </summary>
public static class SecretChecks
{
    public const string DevelopmentAdminPassword = "streamforge-admin";
    public const string GenerateKeyHint = "generate one with: openssl rand -base64 48";
    public const string GeneratePasswordHint = "generate one with: openssl rand -base64 24";
    public const string GeneratePlaybackSecretHint = "generate one with: openssl rand -base64 32 | tr '+/' '-_' | tr -d '='";

    /// <summary>Decoded key material an HMAC-SHA256 key needs: its own output size.</summary>
    public const int MinimumSigningKeyBytes = 32;
    /// <summary>Random base64 or hex of 32 bytes has far more; "aaaa…" or "0101…" padding does not.</summary>
    public const int MinimumDistinctCharacters = 10;
    /// <summary>A run this long seen twice in a random key is practically impossible; in a typed phrase it is the norm.</summary>
    public const int RepeatedRunLength = 8;

    /// <summary>Words of placeholders ("change-me", "generate-me", "replace-me"), compared without separators or case.</summary>
    private static readonly string[] PlaceholderWords = ["changeme", "generateme", "replaceme", "placeholder"];
    /// <summary>A signing key is random bytes, never words: these mark a sample ("your-secret-here", "example-key").</summary>
    private static readonly string[] KeyPlaceholderWords = [.. PlaceholderWords, "secret", "example", "generate"];

    /// <summary>Passwords and keys that ship with the project, its local stack, compose and the storage servers it runs on.</summary>
    private static readonly HashSet<string> KnownDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        DevelopmentAdminPassword,
        "streamforge",   // the local stack's PostgreSQL password and .env.example's connection string
        "S3RVER",        // the local S3 server's built-in key pair
        "minioadmin",    // MinIO's default root user and password
        "postgres", "password", "admin",
    };

    /// <summary>Every variable that would make this host unsafe, with why; empty when all is well.</summary>
    public static IReadOnlyList<string> FindRefusals(IConfiguration config)
    {
        var problems = new List<string>();
        if (config["Auth:JwtSigningKey"] is { Length: > 0 } key && SigningKeyProblem(key) is { } keyProblem)
            problems.Add($"Auth__JwtSigningKey {keyProblem}; {GenerateKeyHint}.");

        if (config["Auth:AdminPassword"] is { Length: > 0 } admin)
        {
            if (admin == DevelopmentAdminPassword)
                problems.Add($"Auth__AdminPassword is the development default; set Auth__AdminPassword to a secret of your own ({GeneratePasswordHint}).");
            else if (DefaultProblem(admin) is { } adminProblem)
                problems.Add($"Auth__AdminPassword {adminProblem}; {GeneratePasswordHint}.");
        }

        if (PlaybackTokenSecret(config) is { Length: > 0 } playback && PlaybackSecretProblem(playback) is { } playbackProblem)
            problems.Add($"Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) {playbackProblem}; {GeneratePlaybackSecretHint}.");

        if (config["Storage:SecretKey"] is { Length: > 0 } s3Secret && DefaultProblem(s3Secret) is { } s3Problem)
            problems.Add($"Storage__SecretKey (AWS_SECRET_ACCESS_KEY) {s3Problem}: create storage credentials of your own.");
        if (config["Storage:UploadSecretKey"] is { Length: > 0 } uploadSecret && DefaultProblem(uploadSecret) is { } uploadProblem)
            problems.Add($"Storage__UploadSecretKey {uploadProblem}: create the upload user's credentials of your own.");

        if (config.GetConnectionString(CoreServiceCollectionExtensions.ConnectionStringName) is { Length: > 0 } cs
            && DatabasePassword(cs) is { Length: > 0 } dbPassword && DefaultProblem(dbPassword) is { } dbProblem)
            problems.Add($"ConnectionStrings__Postgres (DATABASE_URL) has a password that {dbProblem}; set the database user's password to a secret of your own ({GeneratePasswordHint}).");
        return problems;
    }

    /// <summary>What is allowed but weakens the deployment; logged at start outside Development.</summary>
    public static IReadOnlyList<string> FindWarnings(IConfiguration config)
    {
        var warnings = new List<string>();
        var uploadKey = config["Storage:UploadAccessKey"];
        if (string.IsNullOrEmpty(uploadKey) || string.IsNullOrEmpty(config["Storage:UploadSecretKey"]))
            warnings.Add("Storage__UploadAccessKey/Storage__UploadSecretKey are not set: presigned upload URLs are signed with the main storage keys, " +
                "so a leaked URL's signer can also read, copy and delete. Create a key pair that may only PutObject on raw/* (docs/security/secrets.md).");
        else if (string.Equals(uploadKey, config["Storage:AccessKey"], StringComparison.Ordinal))
            warnings.Add("Storage__UploadAccessKey is the main access key: presigned upload URLs carry no less power than the service itself.");
        // The local stack turns these on so receivers and file servers on 127.0.0.1 work; anywhere else they let any
        // account make our servers call the private network and the cloud metadata service.
        foreach (var area in PrivateTargetSettings)
            if (config.GetValue<bool>($"{area}:AllowPrivateTargets"))
                warnings.Add($"{area}__AllowPrivateTargets is true: URLs that users name may reach loopback, private and cloud metadata addresses (SSRF). Leave it off outside development.");
        return warnings;
    }

    /// <summary>The areas that fetch URLs users name, each with its own AllowPrivateTargets switch.</summary>
    private static readonly string[] PrivateTargetSettings = ["Webhooks", "Imports"];

    /// <summary>
    /// Throws <see cref="UnsafeSecretsException"/> outside Development when any secret is unfit. The API also needs
    /// the playback-token secret (<paramref name="requirePlaybackSecret"/>): without it private videos could not play,
    /// and a per-process random one would not match the CDN's.
    /// </summary>
    public static void EnforceOutsideDevelopment(IConfiguration config, IHostEnvironment environment, bool requirePlaybackSecret = false)
    {
        if (environment.IsDevelopment()) return;
        var problems = FindRefusals(config).ToList();
        if (requirePlaybackSecret && string.IsNullOrEmpty(PlaybackTokenSecret(config)))
            problems.Add($"Playback__TokenSecret (PLAYBACK_TOKEN_SECRET) is not set: private videos are served with tokens it signs, and the CDN checks them with the same value; {GeneratePlaybackSecretHint}.");
        if (problems.Count > 0) throw new UnsafeSecretsException(problems);
    }

    /// <summary>The playback-token secret by its setting or its conventional variable name.</summary>
    public static string? PlaybackTokenSecret(IConfiguration config) =>
        config["Playback:TokenSecret"] is { Length: > 0 } secret ? secret : config["PLAYBACK_TOKEN_SECRET"];

    /// <summary>
    /// Why <paramref name="secret"/> is unfit to sign playback tokens, or null: a signing key's rules, and base64url
    /// characters only, since the CDN's nginx config holds it inside a quoted string.
    /// </summary>
    public static string? PlaybackSecretProblem(string secret) =>
        secret.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? "must be base64url characters only (A-Z, a-z, 0-9, - and _)"
            : SigningKeyProblem(secret);

    /// <summary>Why <paramref name="key"/> is unfit to sign tokens ("is a placeholder …"), or null.</summary>
    public static string? SigningKeyProblem(string key)
    {
        if (DefaultProblem(key, KeyPlaceholderWords) is { } known) return known;
        var material = KeyMaterialBytes(key);
        if (material < MinimumSigningKeyBytes)
            return $"is too short: {material} bytes of key material, at least {MinimumSigningKeyBytes} are needed (base64 and hex count decoded)";
        if (key.Distinct().Count() < MinimumDistinctCharacters)
            return $"has low entropy: fewer than {MinimumDistinctCharacters} distinct characters";
        var runs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + RepeatedRunLength <= key.Length; i++)
            if (!runs.Add(key.Substring(i, RepeatedRunLength)))
                return $"has low entropy: it repeats a run of {RepeatedRunLength} characters, as typed phrases do and random keys do not";
        return null;
    }

    /// <summary>"is a placeholder …" / "is a known default …" for values shipped anywhere in the project, or null.</summary>
    private static string? DefaultProblem(string value) => DefaultProblem(value, PlaceholderWords);

    private static string? DefaultProblem(string value, string[] placeholderWords)
    {
        var trimmed = value.Trim();
        if (KnownDefaults.Contains(trimmed)) return "is a known default value (shipped with the project or its storage/database server)";
        var letters = new string(trimmed.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return placeholderWords.FirstOrDefault(letters.Contains) is { } word ? $"is a placeholder (it contains \"{word}\")" : null;
    }

    /// <summary>Bytes a key string carries: hex and base64 are counted decoded, anything else as UTF-8.</summary>
    private static int KeyMaterialBytes(string key)
    {
        if (key.Length % 2 == 0 && key.All(Uri.IsHexDigit)) return key.Length / 2;
        var base64 = key.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? written : System.Text.Encoding.UTF8.GetByteCount(key);
    }

    private static string? DatabasePassword(string connectionString)
    {
        try { return new NpgsqlConnectionStringBuilder(connectionString).Password; }
        catch (ArgumentException) { return null; } // malformed: the connection itself reports it
    }
}
