"""The Textual app and the `briefings` command line. Talks to documents only through `store`."""
