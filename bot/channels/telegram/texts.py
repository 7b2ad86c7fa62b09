"""What the Telegram adapter itself says (French source, translated through the catalogs).

The conversation's own sentences live in bot/engine/texts.py and the content; these are only the words a
Telegram chat needs around them: commands, privacy, groups, odd messages.
"""

from ...i18n import N_

# Command menu (setMyCommands). One short phrase each.
CMD_START = N_("Commencer")
CMD_HELP = N_("Aide")
CMD_RESTART = N_("Recommencer au début")
CMD_BACK = N_("Revenir à la question d'avant")
CMD_LANGUAGE = N_("Changer de langue")
CMD_CONTACT = N_("Parler à une personne")
CMD_FORGET = N_("Effacer mes réponses")
CMD_PRIVACY = N_("Ce que je garde sur vous")

# Groups: the conversation is personal, it happens in a private chat.
GROUP_PRIVATE = N_("Écrivez-moi en privé, s'il vous plaît. Vos réponses sont personnelles.")
GROUP_BUTTON = N_("Écrire en privé")

# Messages the bot does not read.
EDITED = N_("Je ne lis pas les messages modifiés. Envoyez un nouveau message, s'il vous plaît.")
TOO_LONG = N_("Votre message est trop long. Écrivez quelques mots, s'il vous plaît.")
ALREADY_ANSWERED = N_("J'ai déjà reçu cette réponse.")
ERROR = N_("Désolé, il y a eu un problème. Voici la question en cours.")

# Cards
MAP_LINK = N_("Voir sur la carte")

# /oubli: erase my data
FORGET_ASK = N_("Voulez-vous effacer toutes vos réponses ?")
FORGET_ASK_NOTE = N_("Ensuite, la conversation recommence au début.")
FORGET_YES = N_("Oui, tout effacer")
FORGET_NO = N_("Non, garder")
FORGET_DONE = N_("C'est fait. J'ai effacé vos réponses.")
FORGET_AGAIN = N_("Écrivez /start pour recommencer.")
FORGET_NOTHING = N_("Je n'ai rien gardé sur vous.")
FORGET_KEPT = N_("D'accord, je garde vos réponses.")

# /confidentialite: what is kept, one idea per line.
PRIVACY_TITLE = N_("🔒 Ce que je garde sur vous :")
PRIVACY_ANSWERS = N_("Vos réponses à mes questions.")
PRIVACY_LANGUAGE = N_("Votre langue.")
PRIVACY_REFERENT = N_("Le code de votre référent, si vous venez par son lien.")
PRIVACY_CHAT = N_("Le numéro de notre conversation Telegram, pour la reprendre.")
PRIVACY_HEALTH = N_("Votre réponse sur la santé sert à choisir les lieux. Ensuite, je l'efface.")
PRIVACY_NO_NAME = N_("Je ne garde pas votre nom ni votre numéro, sauf pour une demande de rappel.")
# TRANSLATORS: {days} is a number of days (30).
PRIVACY_REQUEST = N_("Une demande de rappel va à une équipe du Département. "
                     "Elle est effacée {days} jours après sa fin.")
# TRANSLATORS: {days} is a number of days (30).
PRIVACY_IDLE = N_("Sans message de vous pendant {days} jours, j'efface vos réponses.")
PRIVACY_COUNTS = N_("Je compte les lieux montrés, sans savoir qui les a vus.")
PRIVACY_WHERE = N_("Ces informations restent sur le serveur de l'assistant.")
PRIVACY_NOT_SOLD = N_("Rien n'est vendu ni donné à personne.")
PRIVACY_FORGET = N_("Pour tout effacer, même une demande, écrivez /oubli.")
PRIVACY_LINES = (PRIVACY_ANSWERS, PRIVACY_LANGUAGE, PRIVACY_REFERENT, PRIVACY_CHAT)
PRIVACY_NOTES = (PRIVACY_HEALTH, PRIVACY_NO_NAME, PRIVACY_REQUEST, PRIVACY_IDLE, PRIVACY_COUNTS, PRIVACY_WHERE,
                 PRIVACY_NOT_SOLD, PRIVACY_FORGET)

# Asking to be contacted, on Telegram
CMD_CANCEL = N_("Annuler ma demande")
SHARE_BELOW = N_("Pour partager votre numéro, appuyez sur le bouton en bas de l'écran 👇")
# TRANSLATORS: {ref} is a short reference such as R-7K3Q.
FORGET_WITHDRAWN = N_("Votre demande {ref} est retirée. L'équipe est prévenue.")
# Faults
TECH_PROBLEM = N_("Désolé, il y a un problème technique. Réessayez dans un moment.")
