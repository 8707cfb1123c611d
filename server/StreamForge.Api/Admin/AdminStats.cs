namespace StreamForge.Api.Admin;

public sealed record AdminStats(
    long StorageUsedBytes, int Users, int Videos, Dictionary<string, int> VideosByStatus, QueueFigures Queue,
    int SucceededLastDay, int FailedLastDay, double? MedianProcessingSecondsLastDay,
    WorkerFigures Workers, UploadFigures Uploads, IReadOnlyList<StorageUser> TopStorageUsers);
