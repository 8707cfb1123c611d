using StreamForge.Core.Data;
using StreamForge.Core.Storage;

namespace StreamForge.Core.Uploads;

public static class UploadCleanup
{
    /// <summary>Frees what an unfinished upload holds in storage: the multipart parts or a lone PUT object.</summary>
    public static async Task DiscardStorageAsync(UploadSession session, IStorageGateway storage, CancellationToken ct)
    {
        if (session.S3UploadId is not null) await storage.AbortMultipartAsync(session.Key, session.S3UploadId, ct);
        await storage.DeleteAsync(session.Key, ct);
    }
}
