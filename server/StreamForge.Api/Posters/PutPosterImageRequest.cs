using System.Security.Claims;

namespace StreamForge.Api.Posters;

/// <summary>What PUT /poster/image binds: the route's video and the raw request (its body is the image, read up to the size limit).</summary>
public sealed record PutPosterImageRequest(Guid Id, HttpRequest Request, ClaimsPrincipal Principal, PosterService Posters, CancellationToken Ct);
