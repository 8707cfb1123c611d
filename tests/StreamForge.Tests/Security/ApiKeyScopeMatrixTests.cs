using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamForge.Api.Keys;
using StreamForge.Tests.Keys;

namespace StreamForge.Tests.Security;

/// <summary>
/// Every endpoint of the running API × API keys. The scope a route needs is read from its metadata at run time, so a
/// new route is covered the day it is mapped: a key lacking the scope gets 403 naming it, a key with only that scope
/// gets through (not 401/403), and a route that names no scope refuses even a key holding every scope.
/// Bodies come from <see cref="AuthorizationMatrixTests"/>' table, which every endpoint must have a row in.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ApiKeyScopeMatrixTests(StackFixture stack)
{
    [Fact]
    public async Task Every_endpoint_admits_exactly_the_keys_its_scope_allows()
    {
        var api = stack.Api;
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Name: $"{m} {e.RoutePattern.RawText}", Endpoint: e)))
            .DistinctBy(e => e.Name).OrderBy(e => e.Name).ToList();
        Assert.NotEmpty(endpoints);
        Assert.Contains(endpoints, e => e.Endpoint.Metadata.GetMetadata<ApiScopeMetadata>() is not null);
        var unknown = endpoints.Where(e => !AuthorizationMatrixTests.Rules.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        Assert.True(unknown.Count == 0, $"endpoints without a row in AuthorizationMatrixTests: {string.Join(", ", unknown)}");

        using var owner = await api.RegisterAsync();
        var only = new Dictionary<string, HttpClient>();
        var without = new Dictionary<string, HttpClient>();
        foreach (var scope in ApiScopes.All)
        {
            only[scope] = await api.KeyClientAsync(owner, scope);
            without[scope] = await api.KeyClientAsync(owner, [.. ApiScopes.All.Where(s => s != scope)]);
        }
        var every = await api.KeyClientAsync(owner, [.. ApiScopes.All]);

        var failures = new List<string>();
        var checkedScoped = 0;
        foreach (var (name, endpoint) in endpoints)
        {
            var scope = endpoint.Metadata.GetMetadata<ApiScopeMetadata>()?.Scope;
            var anyKey = endpoint.Metadata.GetMetadata<AnyApiKeyMetadata>() is not null;
            if (scope is not null)
            {
                checkedScoped++;
                var (status, body) = await SendAsync(owner, without[scope], name);
                if (status != 403 || !body.Contains($"'{scope}'", StringComparison.Ordinal))
                    failures.Add($"{name} with a key lacking {scope}: {status} {Short(body)}, expected 403 naming the scope");
                (status, body) = await SendAsync(owner, only[scope], name);
                if (status is 401 or 403 or >= 500) failures.Add($"{name} with a key holding only {scope}: {status} {Short(body)}, expected it allowed");
            }
            else if (anyKey)
            {
                foreach (var (held, client) in only)
                {
                    var (status, body) = await SendAsync(owner, client, name);
                    if (status is 401 or 403 or >= 500) failures.Add($"{name} with a {held} key: {status} {Short(body)}, expected any key allowed");
                }
            }
            else
            {
                var (status, body) = await SendAsync(owner, every, name);
                if (status != 403) failures.Add($"{name} with a key holding every scope: {status} {Short(body)}, expected 403 (no scope: keys never)");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(checkedScoped >= 15, $"only {checkedScoped} scoped endpoints found");
        foreach (var client in only.Values.Concat(without.Values).Append(every)) client.Dispose();
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient owner, HttpClient key, string endpoint)
    {
        var (_, body) = AuthorizationMatrixTests.Rules[endpoint];
        // A fresh video of the key's account for every call: some calls delete or cancel it.
        var id = (await owner.CreateUploadAsync(1000)).GetProperty("videoId").GetString()!;
        var (method, pattern) = (endpoint[..endpoint.IndexOf(' ')], endpoint[(endpoint.IndexOf(' ') + 1)..]);
        // Every id is the video's: a route that wants another kind of id answers 404 past the gate, which still tells the key was let in.
        var path = Regex.Replace(pattern, @"\{\w+:guid\}", id).Replace("{partNumber:int}", "1").Replace("{lang}", "en").Replace("{rendition}", "720p");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body.Replace("{n}", Guid.NewGuid().ToString("N")).Replace("{id}", id), Encoding.UTF8, "application/json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await key.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        // Event streams never end: the status and headers are the answer.
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, text);
    }

    private static string Short(string body) => body.Length > 200 ? body[..200] + "…" : body;
}
