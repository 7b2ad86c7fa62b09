"""The engine's own sentences (French source, translated through the catalogs)."""

from ..i18n import N_

# TRANSLATORS: shown in every language at once when the bot does not know the language.
ASK_LANGUAGE = N_("Choisissez votre langue.")
# TRANSLATORS: {answer} is an answer button with its emoji, or a town name.
DID_YOU_MEAN = N_("Vous voulez dire « {answer} » ?")
YES = N_("Oui")
NO = N_("Non")
# TRANSLATORS: words people type to say yes, separated by | (several are welcome); never shown.
YES_WORDS = N_("oui|ouais|d'accord|ok|exact|c'est ça")
# TRANSLATORS: words people type to say no, separated by | (several are welcome); never shown.
NO_WORDS = N_("non|pas ça|autre|erreur")
NOT_UNDERSTOOD = N_("Je n'ai pas compris. Appuyez sur une réponse, ou écrivez son numéro.")
OLD_BUTTON = N_("Ce bouton est ancien. Voici la question en cours.")
AT_START = N_("Vous êtes déjà à la première question.")
RESTARTED = N_("D'accord, on recommence.")
CONTENT_CHANGED = N_("Désolé, les questions ont changé. On recommence au début.")
WELCOME_BACK = N_("Bon retour 👋 Voulez-vous continuer là où vous étiez ?")
CONTINUE = N_("Continuer")
RESTART = N_("Recommencer")
FINISHED = N_("La conversation est finie. Voulez-vous recommencer ?")
UNSUPPORTED = N_("Je ne peux lire que du texte et les boutons. Merci de répondre avec un bouton.")
# TRANSLATORS: said in the new language just after a person chooses it: name your own language.
LANGUAGE_SET = N_("D'accord, je vous écris en français.")
# Communes
COMMUNE_HINT = N_("Écrivez le nom de votre ville. Par exemple : Bondy. Ou le code postal : 93140.")
COMMUNE_UNKNOWN = N_("Je ne trouve pas cette ville en Seine-Saint-Denis.")
COMMUNE_WHICH = N_("Plusieurs villes ont ce nom. Laquelle ?")
COMMUNE_NONE_OF_THESE = N_("Aucune de ces villes")
# TRANSLATORS: {town} is a town outside Seine-Saint-Denis (Paris, Montreuil-Bellay…).
COMMUNE_OUTSIDE = N_("{town} n'est pas en Seine-Saint-Denis. Cet assistant connaît seulement la Seine-Saint-Denis.")
# TRANSLATORS: {town} is a town outside (Clichy…) or a postal code; {departement} its département: keep both names.
COMMUNE_OUTSIDE_IN = N_("{town} ({departement}) n'est pas en Seine-Saint-Denis. "
                        "Cet assistant connaît seulement la Seine-Saint-Denis.")
COMMUNE_OUTSIDE_NEXT = N_("Pour le RSA, contactez le Département où vous habitez. Vous pouvez aussi continuer ici.")
# TRANSLATORS: {old} is a former commune, {new} the commune it merged into.
COMMUNE_DELEGATED = N_("{old} fait partie de {new} depuis 2025.")
# TRANSLATORS: {commune} is the town the person lives in.
COMMUNE_NOTED = N_("C'est noté : {commune}.")
COMMUNE_LIST = N_("Choisir dans la liste")
COMMUNE_SKIP = N_("Continuer sans ville")
COMMUNE_RETYPE = N_("Écrire une autre ville")
PICK_TERRITORY = N_("Votre ville est dans quel territoire ?")
PICK_COMMUNE = N_("Choisissez votre ville.")
LOCATION_UNKNOWN = N_("Merci. Je ne peux pas trouver la ville avec une position. Écrivez son nom, s'il vous plaît.")
LOCATION_NEAREST = N_("Merci. Je vous montre les lieux les plus proches en premier.")
NO_CARDS = N_("Je n'ai pas trouvé de lieu pour vos réponses.")
# The result: a short list of places
PLACES_ONE = N_("Voici un lieu pour vous")
# TRANSLATORS: {count} is a small number (2 or 3, sometimes up to 9).
PLACES_MANY = N_("Voici {count} lieux pour vous")
PLACES_MORE = N_("Voir d'autres lieux")
# TRANSLATORS: words people type to see more places, separated by | ; never shown.
PLACES_MORE_WORDS = N_("autres|plus|encore|d'autres lieux|suite")
PLACES_DONE = N_("C'est bon, merci")
# TRANSLATORS: words people type to end the list, separated by | ; never shown.
PLACES_DONE_WORDS = N_("merci|fini|c'est bon|ok merci|terminé|au revoir")
PLACES_AGAIN = N_("Voir un autre lieu ? Appuyez sur son nom.")
# TRANSLATORS: said at the very end; {next} is the person's next step, a full sentence.
REMINDER = N_("Votre prochaine étape : {next}")
