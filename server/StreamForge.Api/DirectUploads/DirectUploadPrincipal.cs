using System.Security.Claims;

namespace StreamForge.Api.DirectUploads;

/// <summary>
/// Who a direct-upload token authenticates: "sub" is the link owner's id (quota and ownership work unchanged),
/// marked <c>auth_kind=direct_upload</c>, with the link's id and, once it created one, its video's id.
/// </summary>
public static class DirectUploadPrincipal
{
    /// <summary>The authentication scheme of du_ bearer tokens.</summary>
    public const string SchemeName = "DirectUpload";
    /// <summary>The caller kind (claim <see cref="AuthKindClaim"/>) of a direct-upload principal.</summary>
    public const string Kind = "direct_upload";
    public const string AuthKindClaim = "auth_kind";
    public const string IdClaim = "direct_upload_id";
    public const string VideoClaim = "direct_upload_video";

    public static bool IsDirectUpload(this ClaimsPrincipal principal) => principal.HasClaim(AuthKindClaim, Kind);

    public static Guid DirectUploadId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(IdClaim), out var id) ? id : throw new InvalidOperationException("Not a direct-upload principal.");

    /// <summary>The one video this principal may touch; null before its link created one.</summary>
    public static Guid? DirectUploadVideoId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(VideoClaim), out var id) ? id : null;
}

/// <summary>Endpoint metadata: a direct-upload token may call this route (for its own video only). Routes without it refuse such tokens.</summary>
public sealed record DirectUploadMetadata;

public static class DirectUploadEndpoints
{
    public static TBuilder AllowDirectUpload<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DirectUploadMetadata());
}
