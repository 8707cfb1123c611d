using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace StreamForge.Api.Captions;

/// <summary>
/// What PUT /captions/{lang} binds: the route's video and language, the optional <c>label</c> query value, and the raw
/// request (its body is the caption file, read by the service up to its size limit).
/// </summary>
public sealed record PutCaptionsRequest(
    Guid Id, string Lang, [FromQuery(Name = "label")] string? Label, HttpRequest Request, ClaimsPrincipal Principal, CaptionService Captions, CancellationToken Ct);
