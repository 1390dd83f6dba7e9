import Fluent
import Vapor
import DiandanCore

/// 志愿风采: leaders publish finished services and activities to the public; the showcase of a site
/// shows what was published there and below.
struct ShowcaseService {
    let db: Database
    let now: Date
    let uploads: UploadStore

    /// What a post is about, as the publisher sees it.
    struct Subject: Sendable {
        var orderID: Int?
        var activityID: Int?
        var siteID: Int
        var teamID: Int?
        var title: String
        var servedOn: Date
        /// What must not appear in the story: the resident's name and address as the order has them.
        var personal: [String]
        /// The service photos that may be chosen (orders).
        var photos: [OrderPhoto]
    }

    /// A finished order that `p` may publish: its team's leader, or an admin over its station.
    func subject(order id: Int, by p: Principal) async throws -> Subject {
        guard let o = try await Order.find(id, on: db) else { throw AppError.notFound }
        let station = try await Lookup.site(o.$station.id, on: db)
        let owner = try await Lookup.site(o.$ownerSite.id, on: db)
        let leads = try await p.ledTeams(on: db)
        guard ShowcasePolicy.mayPublish(p.grants, station: station.sitePath, owner: owner.sitePath, leadsServingTeam: o.$team.id.map(leads.contains) ?? false) else {
            throw AppError.forbidden(Message("error.out_of_scope"))
        }
        guard o.status.isFinished else { throw AppError.conflict(field: nil, Message("error.showcase.not_finished")) }
        let photos = try await OrderPhoto.query(on: db).filter(\.$order.$id == id).sort(\.$id).all()
        return Subject(orderID: id, siteID: o.$station.id, teamID: o.$team.id, title: o.title, servedOn: o.completedAt ?? o.createdAt,
                       personal: [o.contactName, o.address ?? ""], photos: photos)
    }

    /// An activity that has ended, for those who organise it.
    func subject(activity id: Int, by p: Principal, activities: ActivityService) async throws -> Subject {
        guard let a = try await Activity.find(id, on: db) else { throw AppError.notFound }
        guard try await activities.manages(a, p) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        guard ActivityWindow.hasEnded(a.status, endsAt: a.endsAt, now: now) else { throw AppError.conflict(field: nil, Message("error.showcase.not_finished")) }
        return Subject(orderID: nil, activityID: id, siteID: a.$site.id, teamID: a.$team.id, title: a.title, servedOn: a.startsAt,
                       personal: [], photos: [])
    }

    /// Publishes (or publishes again, replacing the text and photos) the post of a subject. The story
    /// may hold no number and nothing the order knows of the resident; photos need the publisher's
    /// word that no minor's face or personal data shows, and lose their metadata before they are kept.
    func publish(_ s: Subject, _ input: ShowcaseInput, photoIDs: [Int], files: [(name: String, data: ByteBuffer)], by p: Principal) async throws -> ShowcasePost {
        var problems: [FieldError] = []
        for (field, text) in [("title", input.title), ("story", input.story)] {
            if let key = ShowcaseRules.personalData(in: text, known: s.personal) { problems.append(FieldError(field, Message(key))) }
        }
        let chosen = s.photos.filter { photoIDs.contains($0.id ?? 0) }
        if chosen.count != Set(photoIDs).count { problems.append(FieldError("photo_ids", Message("error.not_found_choice"))) }
        if chosen.count + files.count > ImageKind.maxCount {
            problems.append(FieldError("photos", Message("error.photo.too_many", ["max": String(ImageKind.maxCount)])))
        }
        if chosen.count + files.count > 0, !input.photosChecked { problems.append(FieldError("photos_checked", Message("error.showcase.photos_unchecked"))) }
        guard problems.isEmpty else { throw ValidationFailure(problems) }

        // Every photo without what it says about itself, then kept as the showcase's own copy.
        let existing = try chosen.map { photo -> (name: String, data: ByteBuffer) in
            (photo.file, ByteBuffer(bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: uploads.path(of: photo.file))))))
        }
        let clean = try UploadStore.check(existing, field: "photo_ids") + UploadStore.check(files, field: "photos")
        let stored = try uploads.write(clean, under: "showcase")
        do {
            let (post, replaced) = try await db.writeTransaction { db -> (ShowcasePost, [String]) in
                var q = ShowcasePost.query(on: db)
                if let id = s.orderID { q = q.filter(\.$orderID == id) } else { q = q.filter(\.$activityID == s.activityID) }
                let post = try await q.first() ?? ShowcasePost()
                if post.id == nil {
                    post.createdAt = now
                    post.orderID = s.orderID
                    post.activityID = s.activityID
                    // Published once: publishing again (a better story, other photos) moves only
                    // `updatedAt`, so feed readers see an update, not a new post.
                    post.publishedAt = now
                }
                post.updatedAt = now
                post.$site.id = s.siteID
                post.$team.id = s.teamID
                post.title = input.title
                post.story = input.story
                post.servedOn = s.servedOn
                post.status = ShowcasePost.Status.published.rawValue
                post.$publishedBy.id = p.accountID
                try await post.save(on: db)
                let replaced = try await ShowcasePhoto.query(on: db).filter(\.$post.$id == post.requireID()).all().map(\.file)
                try await ShowcasePhoto.query(on: db).filter(\.$post.$id == post.requireID()).delete()
                for (i, photo) in stored.enumerated() {
                    let row = ShowcasePhoto()
                    row.$post.id = try post.requireID()
                    row.file = photo.file
                    row.contentType = photo.kind.contentType
                    row.position = i
                    try await row.create(on: db)
                }
                return (post, replaced)
            }
            for file in replaced { try? FileManager.default.removeItem(atPath: uploads.path(of: file)) }
            return post
        } catch {
            uploads.remove(stored)
            throw error
        }
    }

    /// Takes a post off the showcase (and its feed); those who may publish it may withdraw it.
    func withdraw(_ post: ShowcasePost, by p: Principal, activities: ActivityService) async throws {
        if let id = post.orderID {
            _ = try await subject(order: id, by: p)
        } else if let id = post.activityID {
            guard let a = try await Activity.find(id, on: db), try await activities.manages(a, p) else { throw AppError.forbidden(Message("error.out_of_scope")) }
        }
        post.status = ShowcasePost.Status.withdrawn.rawValue
        post.updatedAt = now
        try await db.writeTransaction { [post] db in try await post.save(on: db) }
    }

    // MARK: Reading

    /// Published posts at a site and below (everywhere without a site), newest first.
    func published(under site: Site?, page: Int = 1, per: Int = 20) async throws -> (posts: [ShowcasePost], total: Int) {
        var q = ShowcasePost.query(on: db).filter(\.$status == ShowcasePost.Status.published.rawValue)
        if let site { q = q.join(Site.self, on: \ShowcasePost.$site.$id == \Site.$id).filter(Site.self, \Site.$path =~ site.path) }
        let total = try await q.copy().count()
        let posts = try await q.with(\.$site).with(\.$team).sort(\.$publishedAt, .descending).sort(\.$id, .descending)
            .range(((page - 1) * per)..<(page * per)).all()
        return (posts, total)
    }

    /// The residents' ratings of the posts' orders, as they stand now (a resident may rate after the
    /// post went up): post id → score.
    func ratings(of posts: [ShowcasePost]) async throws -> [Int: Int] {
        let orderIDs = posts.compactMap(\.orderID)
        guard !orderIDs.isEmpty else { return [:] }
        let scores = Dictionary(uniqueKeysWithValues: try await Order.query(on: db).filter(\.$id ~~ orderIDs).filter(\.$rating != nil).all()
            .compactMap { o in o.id.flatMap { id in o.rating.map { (id, $0) } } })
        return Dictionary(uniqueKeysWithValues: posts.compactMap { p in p.id.flatMap { id in p.orderID.flatMap { scores[$0] }.map { (id, $0) } } })
    }

    func photos(of posts: [ShowcasePost]) async throws -> [Int: [ShowcasePhoto]] {
        let ids = posts.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(grouping: try await ShowcasePhoto.query(on: db).filter(\.$post.$id ~~ ids).sort(\.$position).all(), by: { $0.$post.id })
    }
}

extension ShowcaseService: MadeFromContext {
    init(_ c: ServiceContext) {
        self.init(db: c.db, now: c.now, uploads: c.uploads)
    }
}
