namespace StreamForge.Api.Admin;

/// <summary>Upload sessions still open (not completed, aborted or expired) and the bytes they declared.</summary>
public sealed record UploadFigures(int Active, long Bytes);
