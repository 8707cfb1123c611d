namespace StreamForge.Api.DirectUploads;

/// <param name="Token">The upload credential (Authorization: Bearer du_…), shown this once.</param>
/// <param name="UploadUrl">A page of this app that uploads with the token, for people without an account.</param>
public sealed record DirectUploadCreated(Guid Id, string Token, DateTimeOffset ExpiresAt, string UploadUrl);
