/// The organisation an e-mail address belongs to, for the e-mail-domain conflict rule.
///
/// The organisation domain is the address's host without its subdomains: `cs.mit.edu`
/// and `mit.edu` meet. It keeps the last two labels, or three under a country's
/// second-level zone (`ox.ac.uk`, `u-tokyo.ac.jp`, `unsw.edu.au`: a two-letter top level
/// under `ac`, `co`, `com`, `edu`, `gov`, `net`, `or`, `org`, `ne`, `go`). Webmail
/// providers are never an organisation: two Gmail users share nothing.
public enum EmailDomain {
    /// The organisation domain of `address` (an e-mail address or a bare domain), or nil
    /// when it has none or is a webmail provider.
    public static func organisation(of address: String) -> String? {
        let host = (address.split(separator: "@").last.map(String.init) ?? address)
            .trimmingCharacters(in: .whitespaces).lowercased()
        let labels = host.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        guard labels.count >= 2, labels.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }) else { return nil }
        let zoned = labels.count >= 3 && labels.last!.count == 2 && secondLevelZones.contains(labels[labels.count - 2])
        let org = labels.suffix(zoned ? 3 : 2)
        return isWebmail(Array(org)) ? nil : org.joined(separator: ".")
    }

    static let secondLevelZones: Set<String> = ["ac", "co", "com", "edu", "gov", "net", "or", "org", "ne", "go"]

    /// Providers whose users share nothing but the provider; matched on the organisation's
    /// first label for those with a domain per country (yahoo.co.uk, gmx.de).
    static let webmail: Set<String> = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "aol.com", "icloud.com",
        "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me", "qq.com", "163.com", "126.com", "yeah.net",
        "sina.com", "sina.cn", "foxmail.com", "aliyun.com", "web.de", "mail.ru", "inbox.ru", "bk.ru", "list.ru",
        "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
        "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "libero.it", "laposte.net", "orange.fr", "free.fr", "t-online.de",
    ]
    static let webmailFamilies: Set<String> = ["yahoo", "ymail", "hotmail", "outlook", "live", "gmx", "yandex", "rocketmail"]

    static func isWebmail(_ org: [String]) -> Bool {
        webmail.contains(org.joined(separator: ".")) || webmailFamilies.contains(org[0])
    }
}
