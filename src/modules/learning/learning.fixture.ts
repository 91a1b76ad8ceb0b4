// A small course in the shipped format, for tests and isolation fixtures (not loaded at start).

export const fixtureCourse = (slug = 'fixture-course', version = 1, extra = ''): string => `slug: ${slug}
version: ${version}
languages: [en, fr]
title: { en: "Fixture course${extra}", fr: "Cours d'essai${extra}" }
summary: { en: "A small course for tests.", fr: "Un petit cours pour les tests." }
certificate: true
modules:
  - id: m1
    title: { en: "Gifts", fr: "Cadeaux" }
    lessons:
      - id: m1-l1
        title: { en: "Gifts and hospitality", fr: "Cadeaux et hospitalité" }
        minutes: 5
        body:
          en: |
            # Gifts
            A **gift** is anything of value. See [the code](https://example.org/code).

            | Value | Rule |
            |---|---|
            | < 50 | declare |

            ![A border post](/learning-assets/post.jpg "640x360")
          fr: |
            # Cadeaux
            Un **cadeau** est tout objet de valeur.
      - id: m1-l2
        title: { en: "Declaring", fr: "Déclarer" }
        minutes: 3
        body: { en: "Declare within 5 days.", fr: "Déclarez sous 5 jours." }
    quiz:
      draw: 3
      pass_mark: 0.6
      attempts: 2
      time_limit_minutes: 10
      questions:
        - id: q1
          type: single
          prompt: { en: "Accept cash?", fr: "Accepter de l'argent ?" }
          options:
            - { id: a, text: { en: "Never", fr: "Jamais" }, correct: true, feedback: { en: "Right", fr: "Exact" } }
            - { id: b, text: { en: "If small", fr: "Si petit" }, correct: false, feedback: { en: "No", fr: "Non" } }
        - id: q2
          type: true_false
          prompt: { en: "Declare gifts?", fr: "Déclarer les cadeaux ?" }
          answer: true
          feedback: { en: "Always declare.", fr: "Toujours déclarer." }
        - id: q3
          type: multiple
          prompt: { en: "Red flags?", fr: "Signaux ?" }
          options:
            - { id: a, text: { en: "Cash", fr: "Espèces" }, correct: true }
            - { id: b, text: { en: "Urgency", fr: "Urgence" }, correct: true }
            - { id: c, text: { en: "A receipt", fr: "Un reçu" }, correct: false }
        - id: q4
          type: ordering
          prompt: { en: "Order the steps", fr: "Ordonnez" }
          items:
            - { id: s1, text: { en: "Refuse", fr: "Refuser" } }
            - { id: s2, text: { en: "Record", fr: "Consigner" } }
            - { id: s3, text: { en: "Report", fr: "Signaler" } }
          feedback: { en: "Refuse, record, report.", fr: "Refuser, consigner, signaler." }
  - id: m2
    title: { en: "Conflicts", fr: "Conflits" }
    lessons:
      - id: m2-l1
        title: { en: "Conflicts of interest", fr: "Conflits d'intérêts" }
        minutes: 4
        body: { en: "Disclose conflicts.", fr: "Déclarez les conflits." }
    quiz:
      draw: 1
      pass_mark: 0.5
      attempts: 0
      questions:
        - id: q5
          type: matching
          prompt: { en: "Match", fr: "Associez" }
          pairs:
            - { id: p1, left: { en: "Gift", fr: "Cadeau" }, right: { en: "Declare", fr: "Déclarer" } }
            - { id: p2, left: { en: "Conflict", fr: "Conflit" }, right: { en: "Disclose", fr: "Divulguer" } }
            - { id: p3, left: { en: "Bribe", fr: "Pot-de-vin" }, right: { en: "Report", fr: "Signaler" } }
          feedback: { en: "Each has its rule.", fr: "Chacun sa règle." }
`;
