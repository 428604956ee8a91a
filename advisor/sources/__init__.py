"""Files in, model out: every loader turns a bad file into one ``InputError``."""
