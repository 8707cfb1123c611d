namespace StreamForge.Api.Email;

/// <summary>Where links in mails point: the address users reach the SPA at.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Public base URL of the app (https://video.example.com). Required outside Development for mails with links.</summary>
    public string PublicUrl { get; set; } = "";
}
