namespace StreamForge.Api.Uploads;

public sealed record SignPartsRequest(int[]? PartNumbers);
