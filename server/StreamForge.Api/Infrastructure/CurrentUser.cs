using System.Security.Claims;
using StreamForge.Core.Data;

namespace StreamForge.Api.Infrastructure;

public static class CurrentUser
{
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : throw new InvalidOperationException("No subject claim on an authenticated user.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
