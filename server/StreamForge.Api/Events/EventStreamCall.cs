using System.Security.Claims;
using Microsoft.Extensions.Options;
using StreamForge.Api.Auth;
using StreamForge.Api.Keys;
using StreamForge.Api.Watch;
using StreamForge.Core.Playback;

namespace StreamForge.Api.Events;

/// <summary>What GET /events binds: the caller, the hub it subscribes to, the per-user stream cap, the session check, the request.</summary>
public sealed record EventStreamCall(
    ClaimsPrincipal Principal, VideoEventHub Hub, EventStreamLimiter Limiter, IOptions<EventsOptions> Options,
    SessionValidator Sessions, ApiKeyService Keys, HttpContext Http, MediaUrls Urls, RequestMediaAccess Access);
