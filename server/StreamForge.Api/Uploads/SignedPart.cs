namespace StreamForge.Api.Uploads;

public sealed record SignedPart(int PartNumber, string Url, DateTimeOffset ExpiresAt);
