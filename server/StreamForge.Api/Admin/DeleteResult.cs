namespace StreamForge.Api.Admin;

public sealed record DeleteResult(int Deleted);
