using Microsoft.Extensions.Options;
using StreamForge.Core.Storage;

namespace StreamForge.Core.Playback;

/// <summary>Builds the public URLs of a video's processed media: through the CDN when configured, else the bucket.</summary>
public sealed class MediaUrls(IOptions<PlaybackOptions> playback, IOptions<StorageOptions> storage)
{
    private string BaseUrl
    {
        get
        {
            var cdn = playback.Value.CdnUrl;
            return (string.IsNullOrWhiteSpace(cdn) ? storage.Value.PublicBaseUrl : cdn).TrimEnd('/');
        }
    }

    public string For(Guid videoId, int version, string relativePath) => $"{BaseUrl}/{StorageKeys.Media(videoId, version, relativePath)}";
}
