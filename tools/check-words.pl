#!/usr/bin/perl
# The catalogue of words checks itself (locale/README.md): in the C files that write what a client
# or a worker reads, a sentence or a phrase in a string literal is a word that bypassed
# locale/*.json, and a catalogue key named in a literal must be in locale/fi.json.
# Not counted: comments; the log's English sentences (its_fail*, stderr, the audit log); the
# command line's usage text and option errors (English like the rest of the command line);
# format strings; and the literals listed in tools/words-allow.txt (one "file: literal" a line).
# usage: tools/check-words.pl [SOURCE_DIR]   exit 1 and one line per problem when anything is off
use strict;
use warnings;

my $root = $ARGV[0] // '.';
chdir $root or die "check-words: cannot enter $root\n";
# csv.c and fhir.c are machine-readable (column names, FHIR codes and displays stay as they are)
my @files = ((grep { !m{/(csv|fhir)\.c$} } glob('app/worker/*.c')), glob('app/wui/*.c'), 'app/ui/kiosk.c',
             'app/core/evidence.c', 'app/core/feedback.c', 'app/core/flow.c', 'app/core/flow_data.c',
             'app/cli/cmd_worker.c', 'app/cli/cmd_score.c', 'app/cli/cmd_check.c');

my %allow;
if (open my $a, '<', 'tools/words-allow.txt') {
    while (<$a>) {
        chomp;
        next if /^\s*(#|$)/;
        $allow{$_} = 1;
    }
}
open my $j, '<', 'locale/fi.json' or die "check-words: locale/fi.json: $!\n";
my %keys = map { $_ => 1 } (join('', <$j>) =~ /^\s*"([a-z0-9_]+)":/mg);

my $problems = 0;
for my $f (@files) {
    open my $in, '<', $f or next;
    my $text = join '', <$in>;
    # Blank out what is not counted, keeping the newlines so that line numbers stay right.
    my $blank = sub { my $s = shift; $s =~ s/[^\n]/ /g; $s };
    $text =~ s{(/\*.*?\*/|//[^\n]*)}{$blank->($1)}gse;
    $text =~ s{((?:its_fail\w*|worker_audit_view|store_audit|store_tx|begin)\s*\(
               (?:[^;"]|"(?:[^"\\]|\\.)*")*;)}{$blank->($1)}gsex;
    # stderr is the developer's log on the screens (no client or worker reads it there); on the
    # command line it is the worker's, and only its option errors stay English
    $text =~ s{(fprintf\s*\(\s*stderr(?:[^;"]|"(?:[^"\\]|\\.)*")*;)}{$blank->($1)}gse
        if $f !~ m{^app/cli/};
    $text =~ s{(static\s+const\s+char\s*\*\s*const\s+\w+_help\s*=(?:[^;"]|"(?:[^"\\]|\\.)*")*;)}
              {$blank->($1)}gse;
    my $line = 1;
    while ($text =~ /\G(.*?)"((?:[^"\\\n]|\\.)*)"/gs) {
        $line += ($1 =~ tr/\n//);
        my $lit = $2;
        # (a literal ending in "_" is the start of a key built at run time: "pdf_pr_c_" + a name)
        if ($lit =~ /^(wk|cli|pdf|ev|err|ans|level|score)_[a-z0-9_]*[a-z0-9]$/ && !$keys{$lit}) {
            print "$f:$line: \"$lit\" is not a key of locale/fi.json\n";
            $problems++;
        }
        my $words = $lit;
        $words =~ s/%[-+ #0-9.*]*[a-z]+//g;    # format conversions are not words
        $words =~ s/\\[nt]//g;
        $words =~ s/^itsearvio( [a-z]+)?://;    # the command's name before a message
        next if $lit =~ /--[a-z]/;             # an option error or usage: English, as the CLI
        if ($words =~ /\p{L}{2,}[ ,:;]+\p{L}{2,}/ && !$allow{"$f: $lit"}) {
            print "$f:$line: \"$lit\": a phrase for a reader belongs in locale/*.json\n";
            $problems++;
        }
    }
}
print "words: $problems problems\n";
exit($problems ? 1 : 0);
