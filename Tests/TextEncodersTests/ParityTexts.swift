/// The texts the parity tests encode: German and English, umlauts and accents, punctuation,
/// digits, emoji, CJK, control characters, empty and very long texts.
enum ParityTexts {
    static let handPicked: [String] = [
        "", " ", "   \t\n ", "Hello world!", "Hallo Welt!",
        "Über die Brücke gehen zwölf Äpfel, öfter als Öl.", "Die Straße ist groß; der Fußgänger weiß es.",
        "café naïve résumé façade coöperate", "e\u{301}te\u{301} (decomposed accents)",
        "I ❤️ sign language 👋🏽🤟", "Family: 👨‍👩‍👧 and flags 🇩🇪🇺🇸", "手语很美。日本語の手話。", "한국어 수어",
        "Привет, мир! Как дела?", "مرحبا بالعالم", "Ελληνικά γράμματα", "3.14159 and 2,718 and 1/2 and ½ and 10,000,000",
        "Call 0049-30-1234567 before 7:45 p.m.", "don't can't won't it's", "\"Quoted\" 'single' «guillemets» „German“",
        "A--B---C...D!!!E???", "$100 + 20% = ^ | ~ < > = @ # & *", "mixed CASE Words And ALLCAPS",
        "ﬁne ligatures ﬂow", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３", "tab\tseparated\tvalues", "line\nbreaks\r\nhere",
        "control\u{0007}bell and null\u{0000}byte", "zero\u{200B}width space and soft\u{00AD}hyphen",
        "[CLS] literal special [SEP] tokens [MASK]", "<pad> </s> <unk> as text", "emoji-only 😀😃😄😁😆",
        "Morgen regnet es im Norden, im Süden scheint die Sonne bei 25 Grad.",
        "Temperatures will reach 25 degrees on Sunday in the south.",
        "supercalifragilisticexpialidocious antidisestablishmentarianism",
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft",
        "https://example.com/path?query=1&x=y", "user@example.org", "C3PO R2-D2 B-52 MP3 4K",
        "   leading and trailing spaces   ", "multiple     spaces    between", "ÄÖÜ äöü ß ẞ",
        "Ça va? Où est la gare? Très bien!", "¿Qué tal? ¡Muy bien!", "İstanbul ı i İ I",
        "Σίσυφος ΣΊΣΥΦΟΣ final sigma ς", "ﬀ ﬃ ﬄ ℃ ™ № ⅓ ⅔ ²³", "a", "Z", ".", "...", "🤟",
    ]

    static let english = "the quick brown fox jumps over lazy dog teacher reads a letter in morning weather will be sunny tomorrow with rain later my sister learns sign language at school".split(separator: " ").map(String.init)
    static let german = "der schnelle braune Fuchs springt über den faulen Hund Lehrer liest einen Brief am Morgen das Wetter wird morgen sonnig mit Regen später meine Schwester lernt Gebärdensprache in der Schule".split(separator: " ").map(String.init)

    /// `count` texts: the hand-picked ones, two very long ones (past any truncation), then
    /// sentences drawn with a fixed seed from English and German words, with digits and punctuation.
    static func texts(count: Int) -> [String] {
        var out = handPicked
        out.append(Array(repeating: "Ein sehr langer Satz über Gebärden, Zahlen wie 42 und Zeichen!", count: 60).joined(separator: " "))
        out.append((0..<700).map { english[$0 % english.count] }.joined(separator: " "))
        var state: UInt64 = 0x5EED_2026
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let marks = [".", "!", "?", ",", ";", ":", " —", "…"]
        while out.count < count {
            let words = out.count % 2 == 0 ? english : german
            var sentence = (0..<(2 + next(18))).map { _ in words[next(words.count)] }
            if next(3) == 0 { sentence.insert(String(next(100_000)), at: next(sentence.count)) }
            if next(4) == 0 { sentence[0] = sentence[0].uppercased() }
            out.append(sentence.joined(separator: " ") + marks[next(marks.count)])
        }
        return Array(out.prefix(count))
    }
}
