import { describe, expect, it } from "vitest";
import { extractLinks, type FoundLink, isOnlyLinks, platformOf } from "../../src/parsing/links.js";

describe("extractLinks", () => {
  it.each<[string, FoundLink[]]>([
    [
      "lihat fb.com/budi/posts/1, dan https://youtu.be/abc.",
      [
        { url: "https://fb.com/budi/posts/1", platform: "facebook" },
        { url: "https://youtu.be/abc", platform: "youtube" },
      ],
    ],
    [
      "https://www.facebook.com/share/p/1AbC/?mibextid=xyz",
      [{ url: "https://www.facebook.com/share/p/1AbC/?mibextid=xyz", platform: "facebook" }],
    ],
    ["web.facebook.com/groups/123", [{ url: "https://web.facebook.com/groups/123", platform: "facebook" }]],
    ["instagram.com/p/Cx12_ab/", [{ url: "https://instagram.com/p/Cx12_ab/", platform: "instagram" }]],
    ["tiktok.com/@x/video/1", [{ url: "https://tiktok.com/@x/video/1", platform: "tiktok" }]],
    ["https://vt.tiktok.com/ZSabc/", [{ url: "https://vt.tiktok.com/ZSabc/", platform: "tiktok" }]],
    ["x.com/budi/status/1", [{ url: "https://x.com/budi/status/1", platform: "x" }]],
    ["twitter.com/budi/status/1", [{ url: "https://twitter.com/budi/status/1", platform: "x" }]],
    ["https://mobile.twitter.com/budi", [{ url: "https://mobile.twitter.com/budi", platform: "x" }]],
    ["youtu.be/dQw4w9WgXcQ", [{ url: "https://youtu.be/dQw4w9WgXcQ", platform: "youtube" }]],
    [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s",
      [{ url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s", platform: "youtube" }],
    ],
    ["wa.me/6281234567890", [{ url: "https://wa.me/6281234567890", platform: "whatsapp" }]],
    ["https://chat.whatsapp.com/AbC", [{ url: "https://chat.whatsapp.com/AbC", platform: "whatsapp" }]],
    ["t.me/bawaslu_ri", [{ url: "https://t.me/bawaslu_ri", platform: "telegram" }]],
    [
      "https://www.threads.net/@budi/post/C1",
      [{ url: "https://www.threads.net/@budi/post/C1", platform: "threads" }],
    ],
    ["https://detik.com/berita/123", [{ url: "https://detik.com/berita/123", platform: "other" }]],
    ["baca di www.kompas.com ya", [{ url: "https://www.kompas.com", platform: "other" }]],
    ["bawaslu.go.id/id/berita", [{ url: "https://bawaslu.go.id/id/berita", platform: "other" }]],
    ["HTTPS://FB.COM/Budi", [{ url: "https://fb.com/Budi", platform: "facebook" }]],
    ["http://fb.com/a", [{ url: "http://fb.com/a", platform: "facebook" }]],
    // trailing punctuation and brackets
    ["(lihat https://x.com/a/status/1)", [{ url: "https://x.com/a/status/1", platform: "x" }]],
    ["ini https://x.com/a!!!", [{ url: "https://x.com/a", platform: "x" }]],
    ["link: fb.com/a;", [{ url: "https://fb.com/a", platform: "facebook" }]],
    ["\u201chttps://fb.com/a\u201d", [{ url: "https://fb.com/a", platform: "facebook" }]],
    [
      "https://en.wikipedia.org/wiki/Foo_(bar).",
      [{ url: "https://en.wikipedia.org/wiki/Foo_(bar)", platform: "other" }],
    ],
    // de-duplicated, order kept
    [
      "https://fb.com/a fb.com/a https://fb.com/a/ http://www.fb.com/a",
      [{ url: "https://fb.com/a", platform: "facebook" }],
    ],
    [
      "t.me/a lalu wa.me/62812 lalu t.me/a",
      [
        { url: "https://t.me/a", platform: "telegram" },
        { url: "https://wa.me/62812", platform: "whatsapp" },
      ],
    ],
    [
      "https://fb.com/ahttps://x.com/b",
      [
        { url: "https://fb.com/a", platform: "facebook" },
        { url: "https://x.com/b", platform: "x" },
      ],
    ],
    // not links
    ["budi@gmail.com", []],
    ["Pak Budi, S.Pd., M.Si. dari Metro", []],
    ["tanggal 12.11.2024 jam 10.30", []],
    ["fb.company", []],
    ["", []],
    ["https://", []],
  ])("%j", (text, expected) => {
    expect(extractLinks(text)).toEqual(expected);
  });
});

describe("platformOf", () => {
  it("matches a domain and its subdomains only", () => {
    expect(platformOf("https://m.facebook.com/x")).toBe("facebook");
    expect(platformOf("fb.watch/abc")).toBe("facebook");
    expect(platformOf("https://notfacebook.com/x")).toBe("other");
    expect(platformOf("https://t.co/abc")).toBe("x");
  });
});

describe("isOnlyLinks", () => {
  it.each<[string, boolean]>([
    ["https://x.com/a/status/1", true],
    ["  https://x.com/a/status/1 \n fb.com/b ", true],
    ["1. fb.com/a\n2. fb.com/b", true],
    ["(https://x.com/a)", true],
    ["- https://x.com/a\n- https://x.com/b", true],
    ["ini linknya https://x.com/a", false],
    ["https://x.com/a tolong dicek", false],
    ["", false],
    ["halo", false],
  ])("%j → %s", (text, expected) => {
    expect(isOnlyLinks(text)).toBe(expected);
  });
});
