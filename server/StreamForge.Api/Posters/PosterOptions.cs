namespace StreamForge.Api.Posters;

/// <summary>Limits on an uploaded poster image (section "Posters"), checked before anything decodes it.</summary>
public sealed class PosterOptions
{
    public const string Section = "Posters";

    /// <summary>Bytes of an uploaded JPEG or PNG.</summary>
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Largest width and height an uploaded image may declare: a 4096² RGBA picture decodes to 64 MiB.</summary>
    public int MaxDimension { get; set; } = 4096;
}
