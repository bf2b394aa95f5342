"""Data migration: the first version of the privacy page, so /privacidad/ has content from
the first deployment. The manager edits it from the app (each edit is a new version)."""

from django.db import migrations
from django.utils import timezone

TEXTS = {
    "controller": (
        "La Municipalidad de Las Condes, a través de su Dirección de Seguridad Pública, que ejecuta el programa "
        "«Conecta, Las Condes, Reinicia tu vida». Dirección: Av. Apoquindo 3400, Las Condes, Región Metropolitana."
    ),
    "contact": (
        "La encargada de protección de datos del programa es la gestora del área de reinserción. Puede "
        "escribirle a protecciondedatos@lascondes.example, dejar una carta dirigida a ella en la Oficina de "
        "Partes de la Municipalidad (Av. Apoquindo 3400) o acercarse al centro del programa de lunes a viernes, "
        "de 9:00 a 17:00 horas."
    ),
    "data_categories": (
        "Datos de identificación y contacto: nombre, RUT, fecha de nacimiento, dirección, teléfono y correo.\n"
        "Su situación social, educacional, laboral y familiar, y los datos de los familiares que participan con "
        "usted.\n"
        "Datos sensibles: antecedentes penales y situación judicial, salud, consumo de alcohol o drogas, y las "
        "evaluaciones y notas de la atención psicológica.\n"
        "Su participación en el programa: citas, sesiones, plan de intervención, talleres, capacitaciones y "
        "derivaciones.\n"
        "Los documentos que usted entrega, por ejemplo su cédula o su certificado de antecedentes."
    ),
    "purposes": (
        "Evaluar si puede ingresar al programa y acompañarle en su proceso de reinserción: diagnóstico, plan de "
        "intervención, sesiones, talleres, capacitación y apoyo para encontrar empleo.\n"
        "Derivarle a servicios de la red (salud, vivienda, empleo, capacitación, justicia) cuando lo necesite.\n"
        "Hacer el seguimiento después de su egreso y preparar estadísticas del programa, que se publican sin "
        "datos que permitan identificarle.\n"
        "No usamos sus datos con fines comerciales ni para tomar decisiones automatizadas sobre usted."
    ),
    "legal_bases": (
        "Las funciones que la ley encarga a la Municipalidad en apoyo social y prevención del delito (Ley 18.695, "
        "Orgánica Constitucional de Municipalidades) y su consentimiento, que usted firma al ingresar y puede "
        "retirar cuando quiera.\n"
        "Los datos sensibles se tratan con su consentimiento expreso o cuando una ley lo permite (Ley 19.628, "
        "modificada por la Ley 21.719).\n"
        "Comunicar sus datos a una institución privada (una empresa, un OTEC, una fundación) requiere siempre "
        "su consentimiento."
    ),
    "recipients": (
        "Las instituciones de la red a las que usted es derivado (por ejemplo CESFAM, SENDA Previene, OMIL, "
        "SERVIU o Gendarmería) y los organismos de capacitación (OTEC) de los cursos a los que postula: reciben "
        "solo los datos necesarios para esa derivación o postulación.\n"
        "Tribunales y organismos públicos, cuando la ley lo exige.\n"
        "Nunca vendemos ni cedemos sus datos."
    ),
    "retention": (
        "Mientras participa en el programa y durante el año de seguimiento después de su egreso. Después, cada "
        "tipo de registro se guarda por el plazo que fija el programa y luego se anonimiza: se borran su nombre, "
        "RUT, datos de contacto y textos, y solo quedan cifras para las estadísticas. Los documentos que la ley "
        "obliga a guardar se conservan por el plazo legal."
    ),
    "rights": (
        "Usted puede pedir:\n"
        "- Acceso: saber qué datos tenemos, de dónde vienen, para qué se usan, a quién se comunicaron y por "
        "cuánto tiempo se guardan.\n"
        "- Rectificación: corregir datos inexactos o incompletos; avisaremos a quienes los recibieron.\n"
        "- Supresión: que se borren cuando ya no son necesarios o usted retira su consentimiento.\n"
        "- Oposición: que no se usen para un fin determinado.\n"
        "- Portabilidad: recibir sus datos en un archivo electrónico de uso común.\n"
        "- Bloqueo temporal: que se suspenda su uso mientras se resuelve su solicitud.\n"
        "Cómo pedirlo: en el centro del programa, por correo o en la Oficina de Partes, con su cédula de "
        "identidad; si actúa en nombre de otra persona, traiga el documento que lo acredita. Es gratuito.\n"
        "Plazos: respondemos dentro de 30 días corridos, prorrogables una sola vez por 30 días más con aviso y "
        "motivo; el bloqueo se aplica dentro de 2 días hábiles.\n"
        "Si no está conforme con la respuesta, puede reclamar ante la Agencia de Protección de Datos Personales."
    ),
}


def create_first_version(apps, schema_editor):
    PrivacyNotice = apps.get_model("dataprotection", "PrivacyNotice")
    if not PrivacyNotice.objects.exists():
        PrivacyNotice.objects.create(version=1, published_on=timezone.localdate(), **TEXTS)


class Migration(migrations.Migration):
    dependencies = [("dataprotection", "0001_rights_breaches_privacy")]

    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
