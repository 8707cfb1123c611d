namespace StreamForge.Api.Web;

public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Folder of the built SPA (web/dist); the API serves it when it exists.</summary>
    public string? DistPath { get; set; }
}
