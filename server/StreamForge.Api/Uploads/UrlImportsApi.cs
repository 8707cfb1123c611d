using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;
using StreamForge.Api.Videos;
using StreamForge.Core.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>Import from a URL: the worker fetches the file into storage, then it is processed like any upload.</summary>
public static class UrlImportsApi
{
    public static RouteHandlerBuilder MapUrlImport(this RouteGroupBuilder uploads) =>
        uploads.MapPost("/from-url", Import).WithName("ImportFromUrl")
            .WithSummary("Import a video from an http(s) URL: the worker fetches it into storage (progress as upload events), then processes it")
            .RequireScope(ApiScopes.UploadsWrite);

    private static async Task<Results<Accepted<VideoDto>, ValidationProblem, ProblemHttpResult>> Import([AsParameters] UrlImportCall call) =>
        await call.Imports.ImportAsync(call.Body, call.Principal, call.Auth.Value.RequireEmailConfirmation, call.Ct) switch
        {
            { Error: { Fields: { } fields } } => Problems.Validation(fields),
            { Error: { } error } => UploadsApi.Problem(error),
            { Value: var video } => TypedResults.Accepted($"/api/v1/videos/{video!.Id}", video),
        };
}
