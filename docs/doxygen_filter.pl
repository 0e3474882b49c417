#!/usr/bin/perl
# doxygen_filter.pl FILE — Doxygen INPUT_FILTER for the public headers (docs/Doxyfile).
# The headers are written with plain C comments; this prints FILE with those comments turned
# into Doxygen comments, leaving the code untouched:
#   - the first comment of the file ("name.h — what it is") documents the file (\file);
#   - a comment on its own line(s) documents the declaration after it (/** ... */);
#   - a comment after code on the same line documents that member or enumerator (/**< ... */);
#   - text that Doxygen would read as markup (\x, @x, <x>, #x) is escaped inside comments.
use strict;
use warnings;

my $in_comment = 0;
my $first = 1;

# Escapes Doxygen/HTML markup in comment text.
sub plain {
    my ($t) = @_;
    $t =~ s/\\/\\\\/g;
    $t =~ s/\@/\\@/g;
    $t =~ s/</\\</g;
    $t =~ s/>/\\>/g;
    $t =~ s/#/\\#/g;
    $t =~ s/%/\\%/g;
    return $t;
}

while (my $line = <>) {
    if ($in_comment) {
        if ($line =~ m{^(.*?)\*/(.*)$}s) {
            print plain($1), "*/", $2;
            $in_comment = 0;
        } else {
            print plain($line);
        }
        next;
    }
    # comment on its own line (possibly continuing on the next lines)
    if ($line =~ m{^(\s*)/\*(?!\*)(.*)$}s) {
        my ($indent, $rest) = ($1, $2);
        my $open = $first ? "/** \\file\n *" : "/**";
        $first = 0;
        if ($rest =~ m{^(.*?)\*/(.*)$}s) {
            print $indent, $open, plain($1), "*/", $2;
        } else {
            print $indent, $open, plain($rest);
            $in_comment = 1;
        }
        next;
    }
    # comment after code on the same line: documents that member
    if ($line =~ m{^(\s*[^\s/].*?)/\*(?!\*)(.*?)\*/(\s*)$}s) {
        my ($code, $text, $end) = ($1, $2, $3);
        if ($code =~ /^\s*#\s*(ifndef|endif|if|else|elif)\b/) {
            print $line;  # include guards and conditionals keep their plain comments
        } else {
            print $code, "/**<", plain($text), "*/", $end;
        }
        next;
    }
    if ($line =~ m{^(\s*[^\s/].*?)/\*(?!\*)(.*)$}s) {  # trailing comment continuing below
        print $1, "/**<", plain($2);
        $in_comment = 1;
        next;
    }
    print $line;
}
