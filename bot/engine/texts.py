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
# Asking to be contacted
REQ_BUTTON = N_("Être rappelé par une personne")
# TRANSLATORS: {team} is who receives the request, e.g. "l'Agence locale d'insertion de Clichy-sous-Bois".
REQ_TO = N_("Je vais envoyer votre demande à {team}.")
REQ_WHAT = N_("Elle contiendra :")
# TRANSLATORS: {name} is the person's first name.
REQ_FIRST_NAME = N_("votre prénom : {name}")
# TRANSLATORS: {language} is the name of a language ("العربية").
REQ_LANGUAGE = N_("votre langue : {language}")
# TRANSLATORS: {town} is a town of Seine-Saint-Denis.
REQ_TOWN = N_("votre ville : {town}")
# TRANSLATORS: {needs} is a list of needs ("Apprendre le français, Créer mon entreprise").
REQ_NEEDS = N_("ce que vous cherchez : {needs}")
REQ_HEALTH_LINE = N_("que vous avez un problème de santé ou un handicap")
# TRANSLATORS: {days} is a number of days (30).
REQ_KEPT = N_("Elle sera effacée {days} jours après la fin de la demande.")
REQ_CONFIRM = N_("Voulez-vous l'envoyer ?")
REQ_SEND = N_("Oui, envoyer")
REQ_DONT = N_("Non, merci")
REQ_ADD_HEALTH = N_("Dire aussi : j'ai un problème de santé ou un handicap")
REQ_REMOVE_HEALTH = N_("Ne pas parler de ma santé")
REQ_NOT_SENT = N_("D'accord, je n'envoie rien.")
REQ_HOW = N_("Comment voulez-vous être contacté ?")
REQ_SHARE = N_("Partager mon numéro")
REQ_TYPE = N_("Écrire mon numéro")
REQ_HERE = N_("Répondez-moi ici sur Telegram")
REQ_PHONE_ASK = N_("Écrivez votre numéro de téléphone. Par exemple : 06 12 34 56 78.")
REQ_PHONE_BAD = N_("Ce numéro ne semble pas juste. Écrivez les 10 chiffres, par exemple 06 12 34 56 78.")
REQ_PHONE_SERVICE = N_("C'est le numéro d'un service. Écrivez votre numéro à vous, s'il vous plaît.")
REQ_PHONE_SEVERAL = N_("Écrivez un seul numéro, s'il vous plaît.")
REQ_NOT_YOURS = N_("Ce contact n'est pas le vôtre. Partagez votre numéro, ou écrivez-le.")
REQ_PHONE_GOT = N_("Merci, j'ai votre numéro.")
REQ_WHEN = N_("Quand pouvons-nous vous appeler ?")
REQ_MORNING = N_("Le matin")
REQ_AFTERNOON = N_("L'après-midi")
REQ_ANYTIME = N_("À tout moment")
# TRANSLATORS: {team} is who receives the request.
REQ_SENT = N_("✅ Votre demande est envoyée à {team}.")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
REQ_REF = N_("Votre numéro de demande : {ref}.")
REQ_CALL_SOON = N_("Une personne va vous appeler.")
REQ_REPLY_HERE = N_("Une personne va vous répondre ici.")
REQ_HOW_CANCEL = N_("Pour annuler : appuyez sur 🧑, ou écrivez /annuler.")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
REQ_OPEN = N_("Vous avez déjà une demande en cours : {ref}.")
REQ_OPEN_TAKEN = N_("Une personne de l'équipe s'en occupe.")
REQ_CANCEL = N_("Annuler ma demande")
REQ_KEEP = N_("Garder ma demande")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
REQ_CANCELLED = N_("Votre demande {ref} est annulée.")
REQ_NONE = N_("Vous n'avez pas de demande en cours.")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
REQ_TAKEN_NOTICE = N_("👤 Une personne de l'équipe a pris votre demande {ref}.")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
REQ_CLOSED_NOTICE = N_("✅ Votre demande {ref} est terminée. Merci !")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q; the team's message follows on the next line.
THREAD_FROM_STAFF = N_("💬 Message de l'équipe ({ref}) :")
THREAD_HOW = N_("Vous pouvez répondre ici. Votre message sera transmis.")
THREAD_SENT = N_("✉️ Envoyé à l'équipe.")
THREAD_END = N_("Terminer la discussion")
THREAD_ENDED = N_("La discussion est terminée. Merci !")
