import Vapor
import Fluent
import FluentSQLiteDriver
import SQLKit

/// Runs each request with its app's committer in reach, so its write transactions join batches.
struct GroupCommitMiddleware: AsyncMiddleware {
    let committer: GroupCommitter

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        try await GroupCommitContext.$committer.withValue(committer) { try await next.respond(to: req) }
    }
}
