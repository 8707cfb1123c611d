namespace StreamForge.Api.Admin;

public sealed record WorkerDto(string Name, DateTimeOffset? LastHeartbeat, string State, int Running, bool IsApi);
