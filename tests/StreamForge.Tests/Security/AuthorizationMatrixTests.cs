using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace StreamForge.Tests.Security;

/// <summary>
/// Every endpoint of the running API × anonymous, the owner, another user and an admin. The endpoint list comes from
/// the route table at run time, and each must have a rule below: a new endpoint without one fails this test.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AuthorizationMatrixTests(StackFixture stack)
{
    internal enum Rule
    {
        /// <summary>Anyone; never a 500.</summary>
        Public,
        /// <summary>Any signed-in account, about itself.</summary>
        SignedIn,
        /// <summary>Addresses one video/upload: 404 for another user, allowed for the owner and admins.</summary>
        OwnerOrAdmin,
        /// <summary>Admins only: 403 for users.</summary>
        Admin,
        /// <summary>Addresses a resource of the caller's own account (a webhook): 404 for everyone else, admins included.</summary>
        Own,
        /// <summary>A playback token in the path decides, not the caller: 403 for everyone without a valid one.</summary>
        Token,
    }

    /// <summary>"METHOD route pattern" → rule, and a body that gets past model binding.</summary>
    internal static readonly Dictionary<string, (Rule Rule, string? Body)> Rules = new()
    {
        ["GET /health/live"] = (Rule.Public, null),
        ["GET /health/ready"] = (Rule.Public, null),
        // Not by account but by network (Metrics:AllowedNetworks): the same answer for every caller.
        ["GET /metrics"] = (Rule.Public, null),
        ["POST /api/v1/auth/register"] = (Rule.Public, """{"email":"matrix-{n}@example.com","password":"long enough"}"""),
        ["POST /api/v1/auth/login"] = (Rule.Public, """{"email":"nobody@example.com","password":"long enough"}"""),
        ["POST /api/v1/auth/refresh"] = (Rule.Public, null),
        ["POST /api/v1/auth/logout"] = (Rule.Public, null),
        ["POST /api/v1/auth/password-reset"] = (Rule.Public, """{"email":"nobody@example.com"}"""),
        ["POST /api/v1/auth/password-reset/confirm"] = (Rule.Public, """{"token":"not-a-token","newPassword":"long enough"}"""),
        ["POST /api/v1/auth/confirm-email"] = (Rule.Public, """{"token":"not-a-token"}"""),
        ["POST /api/v1/auth/confirm-email/resend"] = (Rule.SignedIn, null),
        // Development only (never mapped in Production); read-only mail files of the local stack.
        ["GET /dev/outbox/"] = (Rule.Public, null),
        ["GET /dev/outbox/{file}"] = (Rule.Public, null),
        ["GET /api/v1/me/"] = (Rule.SignedIn, null),
        ["POST /api/v1/me/password"] = (Rule.SignedIn, """{"currentPassword":"wrong wrong","newPassword":"a new password"}"""),
        ["POST /api/v1/uploads/"] = (Rule.SignedIn, """{"fileName":"m.mp4","size":1000,"contentType":"video/mp4"}"""),
        // A URL refused by its scheme: every caller gets past authorization, and nothing is fetched or created.
        ["POST /api/v1/uploads/from-url"] = (Rule.SignedIn, """{"url":"ftp://example.invalid/clip.mp4"}"""),
        ["GET /api/v1/videos/"] = (Rule.SignedIn, null),
        // Upload links are per account: another account's or an unknown id is a 404, like any id that is not yours.
        ["POST /api/v1/direct-uploads/"] = (Rule.SignedIn, """{"title":"link"}"""),
        ["GET /api/v1/direct-uploads/"] = (Rule.SignedIn, null),
        ["DELETE /api/v1/direct-uploads/{id:guid}"] = (Rule.SignedIn, null),
        ["GET /api/v1/events"] = (Rule.SignedIn, null),
        // Key management: a session's own keys (another account's key id is a 404 like an unknown one).
        ["POST /api/v1/keys/"] = (Rule.SignedIn, """{"name":"matrix","scopes":["videos:read"]}"""),
        ["GET /api/v1/keys/"] = (Rule.SignedIn, null),
        ["DELETE /api/v1/keys/{id:guid}"] = (Rule.SignedIn, null),
        ["GET /api/v1/uploads/{videoId:guid}"] = (Rule.OwnerOrAdmin, null),
        ["POST /api/v1/uploads/{videoId:guid}/parts/sign"] = (Rule.OwnerOrAdmin, """{"partNumbers":[1]}"""),
        ["PUT /api/v1/uploads/{videoId:guid}/parts/{partNumber:int}"] = (Rule.OwnerOrAdmin, """{"etag":"\"0123abcd\"","size":1000}"""),
        ["POST /api/v1/uploads/{videoId:guid}/complete"] = (Rule.OwnerOrAdmin, null),
        ["DELETE /api/v1/uploads/{videoId:guid}"] = (Rule.OwnerOrAdmin, null),
        ["GET /api/v1/videos/{id:guid}"] = (Rule.OwnerOrAdmin, null),
        ["PATCH /api/v1/videos/{id:guid}"] = (Rule.OwnerOrAdmin, """{"title":"renamed"}"""),
        ["DELETE /api/v1/videos/{id:guid}"] = (Rule.OwnerOrAdmin, null),
        ["POST /api/v1/videos/{id:guid}/retry"] = (Rule.OwnerOrAdmin, null),
        ["POST /api/v1/videos/{id:guid}/cancel"] = (Rule.OwnerOrAdmin, null),
        ["GET /api/v1/videos/{id:guid}/captions/"] = (Rule.OwnerOrAdmin, null),
        ["PUT /api/v1/videos/{id:guid}/captions/{lang}"] = (Rule.OwnerOrAdmin, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n"),
        ["DELETE /api/v1/videos/{id:guid}/captions/{lang}"] = (Rule.OwnerOrAdmin, null),
        ["GET /api/v1/videos/{id:guid}/poster/"] = (Rule.OwnerOrAdmin, null),
        ["PUT /api/v1/videos/{id:guid}/poster/"] = (Rule.OwnerOrAdmin, """{"fromSprite":0}"""),
        // Sent as JSON: the owner gets past authorization to the 415 (nothing is stored).
        ["PUT /api/v1/videos/{id:guid}/poster/image"] = (Rule.OwnerOrAdmin, "not an image"),
        ["GET /api/v1/videos/{id:guid}/downloads/original"] = (Rule.OwnerOrAdmin, null),
        ["POST /api/v1/videos/{id:guid}/downloads/{rendition}"] = (Rule.OwnerOrAdmin, null),
        ["GET /api/v1/admin/videos"] = (Rule.Admin, null),
        ["DELETE /api/v1/admin/videos/{id:guid}"] = (Rule.Admin, null),
        ["GET /api/v1/admin/users"] = (Rule.Admin, null),
        ["PATCH /api/v1/admin/users/{id:guid}"] = (Rule.Admin, """{"quotaBytes":600000000}"""),
        ["GET /api/v1/admin/jobs/stats"] = (Rule.Admin, null),
        ["GET /api/v1/admin/jobs"] = (Rule.Admin, null),
        ["GET /api/v1/admin/jobs/{videoId:guid}"] = (Rule.Admin, null),
        ["POST /api/v1/admin/jobs/requeue"] = (Rule.Admin, """{"videoIds":["{id}"]}"""),
        ["POST /api/v1/admin/jobs/delete"] = (Rule.Admin, """{"videoIds":["{id}"]}"""),
        ["GET /api/v1/admin/workers"] = (Rule.Admin, null),
        ["GET /api/v1/admin/stats"] = (Rule.Admin, null),
        ["GET /api/v1/admin/qoe"] = (Rule.Admin, null),
        // Player beacons: anyone, signed in or not (the handler reads no identity); the fresh upload is not playable, so a 404.
        ["POST /api/v1/views"] = (Rule.Public, """{"views":[{"viewId":"3f0c7c6e-1b7a-4c8e-9a53-5b1f2f0d9e11","videoId":"{id}","watchSeconds":1,"rebufferCount":0,"rebufferSeconds":0,"bitrateSwitches":0,"droppedFrames":0,"fatalErrors":0}]}"""),
        ["GET /api/v1/videos/{id:guid}/qoe"] = (Rule.OwnerOrAdmin, null),
        // Watching: anyone (a fresh upload is not playable yet, so a 404 for viewers; private ones are a 403 of their own tests).
        ["GET /api/v1/watch/"] = (Rule.Public, null),
        ["GET /api/v1/watch/{id:guid}"] = (Rule.Public, null),
        ["POST /api/v1/videos/{id:guid}/share-links/"] = (Rule.OwnerOrAdmin, """{"expiresInHours":1}"""),
        ["GET /api/v1/videos/{id:guid}/share-links/"] = (Rule.OwnerOrAdmin, null),
        ["DELETE /api/v1/videos/{id:guid}/share-links/{linkId:guid}"] = (Rule.OwnerOrAdmin, null),
        ["GET /api/v1/media/p/{token}/private/{id:guid}/v{version:int}/{**path}"] = (Rule.Token, null),
        ["HEAD /api/v1/media/p/{token}/private/{id:guid}/v{version:int}/{**path}"] = (Rule.Token, null),
        ["POST /api/v1/webhooks/"] = (Rule.SignedIn, """{"url":"http://127.0.0.1:9/hook","events":["video.ready"]}"""),
        ["GET /api/v1/webhooks/"] = (Rule.SignedIn, null),
        ["DELETE /api/v1/webhooks/{id:guid}"] = (Rule.Own, null),
        ["GET /api/v1/webhooks/{id:guid}/deliveries"] = (Rule.Own, null),
        ["POST /api/v1/webhooks/{id:guid}/deliveries/{deliveryId:guid}/resend"] = (Rule.Own, null),
    };

    [Fact]
    public async Task Every_endpoint_enforces_its_rule_for_every_kind_of_caller()
    {
        var api = stack.Api;
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().Order().ToList();
        var unclassified = endpoints.Where(e => !Rules.ContainsKey(e)).ToList();
        Assert.True(unclassified.Count == 0, $"endpoints without an authorization rule in this test: {string.Join(", ", unclassified)}");
        Assert.Empty(Rules.Keys.Except(endpoints)); // the table names no endpoint that is gone

        var ownerEmail = $"owner{Guid.NewGuid():N}@example.com";
        var owner = await api.RegisterAsync(ownerEmail);
        var callers = new Dictionary<string, HttpClient>
        {
            // No cookie jar: the public sign-up below would otherwise sign this caller in.
            ["anonymous"] = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false }),
            ["owner"] = owner,
            ["other user"] = await api.RegisterAsync(),
            ["admin"] = await api.LoginAdminAsync(stack),
        };
        var failures = new List<string>();
        var n = 0;
        // The owner's webhook, subscribed to the uploads created below, so it has deliveries to resend.
        var hook = await OwnerWebhookAsync(owner);
        foreach (var endpoint in endpoints)
        {
            var (rule, body) = Rules[endpoint];
            foreach (var (caller, client) in callers)
            {
                // A fresh video of the owner for every call: some calls delete or cancel it.
                var id = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetString()!;
                var (method, pattern) = (endpoint[..endpoint.IndexOf(' ')], endpoint[(endpoint.IndexOf(' ') + 1)..]);
                if (pattern.StartsWith("/api/v1/webhooks/{id:guid}", StringComparison.Ordinal))
                {
                    // Deleting takes a webhook of its own each time; the others share one.
                    var hookId = method == "DELETE" ? await OwnerWebhookAsync(owner) : hook;
                    var deliveries = await (await owner.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).ReadJsonAsync();
                    var deliveryId = deliveries.GetArrayLength() > 0 ? deliveries[0].GetProperty("id").GetString()! : Guid.NewGuid().ToString();
                    pattern = pattern.Replace("{id:guid}", hookId).Replace("{deliveryId:guid}", deliveryId);
                }
                if (pattern.Contains("{linkId:guid}", StringComparison.Ordinal))
                {
                    // The owner's own link of this video, so the owner and admins reach it and others do not.
                    var link = await owner.PostAsJsonAsync($"/api/v1/videos/{id}/share-links", new { expiresInHours = 1 });
                    pattern = pattern.Replace("{linkId:guid}", (await link.ReadJsonAsync()).GetProperty("id").GetString()!);
                }
                pattern = pattern.Replace("{token}", "1.0.not-a-signature").Replace("{version:int}", "1").Replace("{**path}", "manifest.json");
                var path = pattern.Replace("{videoId:guid}", id).Replace("{id:guid}", id).Replace("{partNumber:int}", "1").Replace("{lang}", "en").Replace("{rendition}", "720p");
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                // As the SPA does: the CSRF check has tests of its own and is not what this one measures.
                request.Headers.Add("X-CSRF", "1");
                if (body is not null) request.Content = new StringContent(body.Replace("{n}", $"{Interlocked.Increment(ref n)}-{Guid.NewGuid():N}").Replace("{id}", id), Encoding.UTF8, "application/json");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                // Logging out ends the caller's session: a second session of the same caller keeps the rest of the table meaningful.
                var sender = endpoint != "POST /api/v1/auth/logout" ? client : caller switch
                {
                    "owner" => await api.LoginAsync(ownerEmail, "correct horse battery"),
                    "admin" => await api.LoginAdminAsync(stack),
                    "other user" => await api.RegisterAsync(),
                    _ => client,
                };
                using var response = await sender.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                var expectation = Check(rule, caller, status);
                if (expectation is not null) failures.Add($"{endpoint} as {caller}: {status}, expected {expectation}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task<string> OwnerWebhookAsync(HttpClient owner)
    {
        var created = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/matrix", events = new[] { "video.created" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        await owner.CreateUploadAsync(1000);
        return id;
    }

    /// <summary>Null when <paramref name="status"/> fits the rule for this caller, else what was expected.</summary>
    private static string? Check(Rule rule, string caller, int status)
    {
        if (status >= 500) return "no server error";
        return (rule, caller) switch
        {
            (Rule.Public, _) => status == 403 ? "not 403" : null,
            (Rule.Token, _) => status == 403 ? null : "403 (no valid playback token)",
            (_, "anonymous") => status == 401 ? null : "401",
            (Rule.SignedIn, _) => status is 401 or 403 ? "allowed" : null,
            (Rule.OwnerOrAdmin, "other user") => status == 404 ? null : "404 (someone else's id)",
            (Rule.OwnerOrAdmin, _) => status is 401 or 403 or 404 ? "allowed" : null,
            (Rule.Admin, "admin") => status is 401 or 403 ? "allowed" : null,
            (Rule.Admin, _) => status == 403 ? null : "403",
            (Rule.Own, "owner") => status is 401 or 403 or 404 ? "allowed" : null,
            (Rule.Own, _) => status == 404 ? null : "404 (someone else's)",
            _ => "a rule",
        };
    }
}
