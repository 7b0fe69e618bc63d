"""Text: what every stage needs to read words and marks: quotation marks and paragraphs, the cue lexicon
(speech verbs and phrases), and small predicates over parsed words (relative pronouns, clause boundaries,
the speech-cue test).

Takes strings and words; gives spans and yes/no answers. No entry point: a toolbox for the stages above.
"""
