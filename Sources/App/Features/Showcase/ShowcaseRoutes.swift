import Vapor
import Fluent
import DiandanCore

/// 志愿风采: the public showcase of each site, each post's page (with Open Graph tags so a shared
/// link previews well in chat apps), the Atom feed, and the leaders' publish forms.
enum ShowcaseRoutes {
    static func register(web: RoutesBuilder, bare: RoutesBuilder) {
        web.get("showcase", use: { try await listPage($0, siteID: nil) }).rule(.open)
        web.get("showcase", ":site", use: { req in
            guard let id = (try? req.pathInt("site")) else { throw AppError.notFound }
            return try await listPage(req, siteID: id)
        }).rule(.open)
        web.get("showcase", "posts", ":id", use: postPage).rule(.open)
        web.post("showcase", "posts", ":id", "withdraw", use: withdraw).rule(.signedIn)
        web.get("orders", ":id", "showcase", use: { try await publishForm($0, kind: .order) }).rule(.signedIn)
        web.on(.POST, "orders", ":id", "showcase", body: .stream, use: { try await publish($0, kind: .order) }).rule(.signedIn)
        web.get("activities", ":id", "showcase", use: { try await publishForm($0, kind: .activity) }).rule(.signedIn)
        web.on(.POST, "activities", ":id", "showcase", body: .stream, use: { try await publish($0, kind: .activity) }).rule(.signedIn)
        // Feeds and photos are for anyone, without a session.
        bare.get("showcase", "feed.atom", use: { try await feed($0, siteID: nil) }).rule(.open)
        bare.get("showcase", ":site", "feed.atom", use: { req in
            guard let id = (try? req.pathInt("site")) else { throw AppError.notFound }
            return try await feed(req, siteID: id)
        }).rule(.open)
        bare.get("showcase", "photos", ":id", use: photo).rule(.open)
    }

    enum Kind { case order, activity }

    static func site(_ req: Request, _ id: Int?) async throws -> Site? {
        guard let id else { return nil }
        guard let s = try await Site.find(id, on: req.db), s.active else { throw AppError.notFound }
        return s
    }

    static func stars(_ rating: Int?) -> String? { rating.map { String(repeating: "★", count: $0) + String(repeating: "☆", count: 5 - $0) } }

    static func day(_ d: Date) -> String {
        let c = Calendar.chinaStandard.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    // MARK: The showcase of a site

    struct ListPage: Encodable {
        struct Card: Encodable { var link: String; var title: String; var meta: String; var rating: String?; var excerpt: String; var photo: String? }
        var chrome: Chrome
        var heading: String
        var sites: [FormField.Option]
        var cards: [Card]
        var feed: String
        var older: String?
        var newer: String?
    }

    static func listPage(_ req: Request, siteID: Int?) async throws -> Response {
        // The picker's form without its script: /showcase?site=3 is /showcase/3.
        if siteID == nil, let picked = try req.queryID("site") { return req.redirect(to: Paths.showcase(site: picked), redirectType: .normal) }
        let s = try await site(req, siteID)
        let page = try req.queryPage()
        let service = ShowcaseService.make(req)
        let (posts, total) = try await service.published(under: s, page: page)
        let photos = try await service.photos(of: posts)
        let ratings = try await service.ratings(of: posts)
        let sites = try await Site.query(on: req.db).filter(\.$active == true).filter(\.$kind != SiteKind.point).sort(\.$path).range(0..<2000).all()
        let heading = (s?.name).map { $0 + " · " } .map { $0 + req.t("showcase.title") } ?? req.t("showcase.title")
        var chrome = Chrome.make(req, title: heading)
        chrome.feed = Paths.showcaseFeed(site: siteID)
        chrome.meta = [.init(property: "description", content: req.t("showcase.lead"))]
        let base = Paths.showcase(site: siteID)
        let context = ListPage(
            chrome: chrome, heading: heading,
            sites: [.init(value: "", label: req.t("showcase.everywhere"), selected: siteID == nil)]
                + sites.compactMap { x in x.id.map { .init(value: String($0), label: HomeRoutes.indent(x) + x.name, selected: $0 == siteID) } },
            cards: try posts.map { p in
                let id = try p.requireID()
                return .init(link: Paths.showcasePost(id), title: p.title,
                             meta: [p.site.name, p.team?.name, day(p.servedOn)].compactMap { $0 }.joined(separator: " · "),
                             rating: stars(ratings[id]), excerpt: String(p.story.prefix(80)) + (p.story.count > 80 ? "…" : ""),
                             photo: photos[id]?.first.flatMap { $0.id.map(Paths.showcasePhoto) })
            },
            feed: Paths.showcaseFeed(site: siteID),
            older: page * 20 < total ? base + "?page=\(page + 1)" : nil, newer: page > 1 ? base + "?page=\(page - 1)" : nil)
        return try await Pages.render(req, "showcase/list", context)
    }

    // MARK: One post

    struct PostPage: Encodable {
        var chrome: Chrome
        var title: String
        var meta: String
        var rating: String?
        var paragraphs: [String]
        var photos: [String]
        var url: String
        var siteLink: String
        var siteName: String
        var withdraw: String?
    }

    static func published(_ req: Request) async throws -> ShowcasePost {
        guard let id = (try? req.pathInt("id")),
              let p = try await ShowcasePost.query(on: req.db).filter(\.$id == id).with(\.$site).with(\.$team).first(),
              p.status == ShowcasePost.Status.published.rawValue else { throw AppError.notFound }
        return p
    }

    static func mayWithdraw(_ req: Request, _ post: ShowcasePost) async -> Bool {
        guard let p = req.principal else { return false }
        let service = ShowcaseService.make(req)
        if let id = post.orderID { return (try? await service.subject(order: id, by: p)) != nil }
        if let id = post.activityID, let a = try? await Activity.find(id, on: req.db) { return (try? await ActivityService.make(req).manages(a, p)) ?? false }
        return false
    }

    static func postPage(req: Request) async throws -> Response {
        let post = try await published(req)
        let id = try post.requireID()
        let photos = try await ShowcaseService.make(req).photos(of: [post])[id] ?? []
        let rating = try await ShowcaseService.make(req).ratings(of: [post])[id]
        let url = req.baseURL + Paths.showcasePost(id)
        var chrome = Chrome.make(req, title: post.title)
        let description = String(post.story.prefix(120))
        chrome.meta = [
            .init(property: "description", content: description),
            .init(property: "og:type", content: "article"),
            .init(property: "og:title", content: post.title),
            .init(property: "og:description", content: description),
            .init(property: "og:url", content: url),
            .init(property: "og:site_name", content: req.t("app.name")),
            .init(property: "og:locale", content: req.locale == .zhCN ? "zh_CN" : "en_US"),
            .init(property: "article:published_time", content: post.publishedAt.formatted(.iso8601)),
        ] + photos.prefix(1).compactMap { ph in ph.id.map { .init(property: "og:image", content: req.baseURL + Paths.showcasePhoto($0)) } }
        chrome.feed = Paths.showcaseFeed(site: post.$site.id)
        let page = PostPage(
            chrome: chrome, title: post.title,
            meta: [post.site.name, post.team?.name, day(post.servedOn)].compactMap { $0 }.joined(separator: " · "),
            rating: stars(rating), paragraphs: post.story.split(whereSeparator: \.isNewline).map(String.init),
            photos: photos.compactMap { $0.id.map(Paths.showcasePhoto) }, url: url,
            siteLink: Paths.showcase(site: post.$site.id), siteName: post.site.name,
            withdraw: await mayWithdraw(req, post) ? Paths.showcasePost(id) + "/withdraw" : nil)
        return try await Pages.render(req, "showcase/post", page)
    }

    static func withdraw(req: Request) async throws -> Response {
        let post = try await published(req)
        try await ShowcaseService.make(req).withdraw(post, by: try req.requirePrincipal(), activities: ActivityService.make(req))
        return req.redirect(to: Paths.showcase(site: post.$site.id), redirectType: .normal)
    }

    static func photo(req: Request) async throws -> Response {
        guard let id = (try? req.pathInt("id")), let ph = try await ShowcasePhoto.find(id, on: req.db),
              let post = try await ShowcasePost.find(ph.$post.id, on: req.db), post.status == ShowcasePost.Status.published.rawValue else { throw AppError.notFound }
        let response = try await req.fileio.asyncStreamFile(at: UploadStore(directory: req.application.settings.uploadsDirectory).path(of: ph.file))
        response.headers.replaceOrAdd(name: .contentType, value: ph.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    // MARK: The feed

    static func feed(_ req: Request, siteID: Int?) async throws -> Response {
        let s = try await site(req, siteID)
        let service = ShowcaseService.make(req)
        let (posts, _) = try await service.published(under: s, page: 1, per: 30)
        let photos = try await service.photos(of: posts)
        let base = req.baseURL
        let title = (s?.name).map { $0 + " · " + req.t("showcase.title") } ?? req.t("showcase.title")
        let entries = try posts.map { p -> AtomFeed.Entry in
            let id = try p.requireID()
            let link = base + Paths.showcasePost(id)
            var html = p.story.split(whereSeparator: \.isNewline).map { "<p>" + XMLText.escape(String($0)) + "</p>" }.joined()
            for ph in photos[id] ?? [] { if let pid = ph.id { html += "<p><img src=\"\(XMLText.escape(base + Paths.showcasePhoto(pid)))\" alt=\"\"></p>" } }
            return AtomFeed.Entry(id: link, title: p.title, link: link, published: p.publishedAt, updated: p.updatedAt,
                                  author: p.team?.name ?? p.site.name, summary: String(p.story.prefix(200)), html: html)
        }
        let xml = AtomFeed.xml(id: base + Paths.showcase(site: siteID), title: title, selfLink: base + Paths.showcaseFeed(site: siteID),
                               htmlLink: base + Paths.showcase(site: siteID), author: s?.name ?? req.t("app.name"), language: req.locale.rawValue,
                               updated: posts.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 1_767_225_600), entries: entries)
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    // MARK: Publishing

    struct PublishPage: Encodable {
        struct Photo: Encodable { var id: Int; var src: String; var checked: Bool }
        var chrome: Chrome
        var heading: String
        var subject: String
        var action: String
        var fields: [FormField]
        var photos: [Photo]
        var photosChecked: Bool
        var photosError: String?
        var summary: String?
        var existing: String?
    }

    static func subject(_ req: Request, _ kind: Kind) async throws -> ShowcaseService.Subject {
        guard let id = (try? req.pathInt("id")) else { throw AppError.notFound }
        let p = try req.requirePrincipal()
        switch kind {
        case .order: return try await ShowcaseService.make(req).subject(order: id, by: p)
        case .activity: return try await ShowcaseService.make(req).subject(activity: id, by: p, activities: ActivityService.make(req))
        }
    }

    static func existing(_ req: Request, _ s: ShowcaseService.Subject) async throws -> ShowcasePost? {
        var q = ShowcasePost.query(on: req.db)
        if let id = s.orderID { q = q.filter(\.$orderID == id) } else { q = q.filter(\.$activityID == s.activityID) }
        return try await q.first()
    }

    static func publishForm(_ req: Request, kind: Kind) async throws -> Response {
        let s = try await subject(req, kind)
        let post = try await existing(req, s)
        let values = ["title": [post?.title ?? s.title], "story": [post?.story ?? ""]]
        return try await renderPublish(req, s, kind, values: values, photoIDs: Set(s.photos.compactMap(\.id)), checked: false, errors: [], post: post)
    }

    static func renderPublish(_ req: Request, _ s: ShowcaseService.Subject, _ kind: Kind, values: [String: [String]], photoIDs: Set<Int>, checked: Bool,
                              errors: [FieldError], post: ShowcasePost?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let form = FormBuilder(req, values: values, errors: errors)
        let base = kind == .order ? Paths.order(s.orderID!) : Paths.activity(s.activityID!)
        let heading = req.t("showcase.publish")
        let page = PublishPage(
            chrome: .make(req, title: heading), heading: heading, subject: s.title, action: base + "/showcase",
            fields: [form.text("title", "showcase.post_title"), FormField(name: "story", label: req.t("showcase.story"), kind: .textarea, value: values["story"]?.last ?? "",
                                                                          error: errors.first { $0.field == "story" }.map { req.t($0.message) }, required: true, hint: req.t("showcase.story_hint"))],
            photos: s.photos.compactMap { ph in ph.id.map { .init(id: $0, src: Paths.orderPhoto(s.orderID!, $0), checked: photoIDs.contains($0)) } },
            photosChecked: checked,
            photosError: errors.first { ["photos_checked", "photos", "photo_ids"].contains($0.field) }.map { req.t($0.message) },
            summary: errors.isEmpty ? nil : req.t("error.validation"),
            existing: post.flatMap { $0.status == ShowcasePost.Status.published.rawValue ? $0.id.map(Paths.showcasePost) : nil })
        return try await Pages.render(req, "showcase/publish", page, status: status)
    }

    static func publish(_ req: Request, kind: Kind) async throws -> Response {
        // Who may publish is settled before a byte of the photos is read.
        let s = try await subject(req, kind)
        try await req.receiveUpload(limit: UploadLimit.photos)
        let fields = try await req.formFields()
        var r = FieldReader(form: fields)
        let photoIDs = r.ids("photo_ids", max: ImageKind.maxCount)
        let input = ShowcaseInput.read(&r)
        let files = try await req.uploadedFiles("photos")
        do {
            try r.check()
            let post = try await ShowcaseService.make(req).publish(s, input!, photoIDs: photoIDs, files: files, by: try req.requirePrincipal())
            return req.redirect(to: Paths.showcasePost(try post.requireID()), redirectType: .normal)
        } catch let failure as ValidationFailure {
            return try await renderPublish(req, s, kind, values: fields, photoIDs: Set(photoIDs), checked: r.bool("photos_checked"), errors: failure.errors,
                                           post: try await existing(req, s), status: .unprocessableEntity)
        }
    }
}
