namespace StreamForge.Api.Admin;

public sealed record JobIdsRequest(Guid[]? VideoIds);
